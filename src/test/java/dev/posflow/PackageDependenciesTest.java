package dev.posflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package tree reads in one direction: sampling → publish → Kafka → ingest → store → (latest, live) → api, with
 * the JSON views in {@code view}. Read from the sources (every {@code dev.posflow.<package>.} a file names, imports
 * and fully qualified names alike) rather than with a library: a few lines, no dependency.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/posflow");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.posflow\\.([a-z]+)\\.");
    private static final String ROOT_PACKAGE = "(dev.posflow)";

    /** The side that writes: none of it may know the side that reads and answers. */
    private static final Set<String> WRITE_SIDE = Set.of("sample", "sampling", "publish", "ingest", "store");
    private static final Set<String> READ_SIDE = Set.of("view", "latest", "live", "api");

    private static Map<String, Set<String>> uses;

    @BeforeAll
    static void readSources() {
        uses = dependencies(SOURCES);
    }

    @Test
    void noPackageUsesAPackageThatUsesItBack() {
        assertEquals(List.of(), cycles(uses), "package cycles in " + uses);
    }

    @Test
    void theWriteSideNeverUsesTheReadSide() {
        for (String writer : WRITE_SIDE) {
            Set<String> used = new TreeSet<>(uses.getOrDefault(writer, Set.of()));
            used.retainAll(READ_SIDE);
            assertEquals(Set.of(), used, writer + " uses the read side");
        }
    }

    @Test
    void latestAndLiveDoNotUseTheApiNorTheViewsUseAnyReader() {
        assertFalse(uses.getOrDefault("latest", Set.of()).contains("api"), "latest uses api");
        assertFalse(uses.getOrDefault("live", Set.of()).contains("api"), "live uses api");
        Set<String> viewUses = new TreeSet<>(uses.getOrDefault("view", Set.of()));
        viewUses.retainAll(Set.of("latest", "live", "api"));
        assertEquals(Set.of(), viewUses, "view uses the packages that show it");
    }

    @Test
    void theCheckSeesACycle() {
        // the check itself can fail: two packages using each other
        assertEquals(1, cycles(Map.of("a", Set.of("b"), "b", Set.of("a"), "c", Set.of("a"))).size());
        assertTrue(uses.containsKey("api") && uses.get("api").contains("view"), "the sources were read: " + uses);
        Set<String> folders = new TreeSet<>(uses.keySet());
        folders.remove(ROOT_PACKAGE);
        assertTrue(folders.stream().allMatch(name -> Files.isDirectory(SOURCES.resolve(name))),
                "every node is a package: " + uses.keySet());
    }

    private static Map<String, Set<String>> dependencies(Path root) {
        Map<String, Set<String>> dependencies = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                // a file directly under the root (Main.java) is in the root package, not a package of its own
                Path folder = root.relativize(file).getParent();
                String own = folder == null ? ROOT_PACKAGE : folder.getName(0).toString();
                Set<String> used = dependencies.computeIfAbsent(own, p -> new TreeSet<>());
                Matcher reference = REFERENCE.matcher(Files.readString(file));
                while (reference.find()) {
                    if (!reference.group(1).equals(own)) {
                        used.add(reference.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dependencies;
    }

    /** Each cycle once, as the path that closes it, found by depth-first search. */
    private static List<List<String>> cycles(Map<String, Set<String>> graph) {
        List<List<String>> cycles = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        for (String start : new TreeSet<>(graph.keySet())) {
            walk(graph, start, new ArrayList<>(), done, cycles);
        }
        return cycles;
    }

    private static void walk(Map<String, Set<String>> graph, String node, List<String> path, Set<String> done,
            List<List<String>> cycles) {
        int seen = path.indexOf(node);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(node);
            cycles.add(cycle);
            return;
        }
        if (done.contains(node)) {
            return;
        }
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            walk(graph, next, path, done, cycles);
        }
        path.remove(path.size() - 1);
        done.add(node);
    }
}
