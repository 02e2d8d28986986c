package dev.posflow.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples (jdk.ExecutionSample) of a JFR recording: samples per thread, the hottest leaf frames,
 * and per thread the hottest frames of posflow's own code, so that a missed throughput target comes with where the
 * time went rather than a guess. Also sums jdk.JavaMonitorWait/ThreadPark/SocketRead/SocketWrite time per thread
 * (what threads wait on) and the collector's pauses. Given a window (the ingest's first and last committed rows), only
 * its events count, and each wait is also a share of the window: where the ingest thread's time went.
 * <p>
 * Usage: JfrTop recording.jfr [top] [from-epoch-ms to-epoch-ms]
 */
public final class JfrTop {

    private static final Set<String> WAITS = Set.of("jdk.ThreadPark", "jdk.JavaMonitorWait", "jdk.SocketRead",
            "jdk.SocketWrite");

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Instant from = args.length > 3 ? Instant.ofEpochMilli(Long.parseLong(args[2])) : Instant.MIN;
        Instant to = args.length > 3 ? Instant.ofEpochMilli(Long.parseLong(args[3])) : Instant.MAX;
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> !e.getStartTime().isBefore(from) && !e.getStartTime().isAfter(to)).toList();
        if (args.length > 3) {
            System.out.printf("events from %s to %s only%n", from, to);
        }
        List<RecordedEvent> samples = events.stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample")).toList();
        System.out.printf("%d CPU samples (jdk.ExecutionSample, one per ~20 ms of a running Java thread)%n",
                samples.size());

        print("samples by thread", count(samples, JfrTop::thread), samples.size(), top);
        print("hottest leaf frames (all threads)", count(samples, e -> frame(e.getStackTrace(), 0)), samples.size(),
                top);
        print("hottest frames including callees (all threads; each frame counted once per sample)",
                countInclusive(samples), samples.size(), 40);
        print("first dev.posflow frame on the stack (where posflow's code spends, callees included)",
                count(samples, JfrTop::firstPosflowFrame), samples.size(), top);

        Map<String, Double> parkedMs = new HashMap<>();
        for (RecordedEvent e : events) {
            String type = e.getEventType().getName();
            if (WAITS.contains(type)) {
                String key = type.substring(4) + " " + thread(e) + " at " + firstInterestingFrame(e.getStackTrace());
                parkedMs.merge(key, e.getDuration().toNanos() / 1e6, Double::sum);
            } else if (type.equals("jdk.GarbageCollection")) {
                parkedMs.merge("GarbageCollection (every thread paused)", e.getDuration().toNanos() / 1e6,
                        Double::sum);
            }
        }
        double windowMs = args.length > 3 ? Duration.between(from, to).toNanos() / 1e6 : 0;
        System.out.println("\n== waiting (ThreadPark / JavaMonitorWait / SocketRead / SocketWrite over the profile's"
                + " thresholds of 10-20 ms) and collector pauses, ms" + (windowMs > 0 ? " and share of the window" : "")
                + ", top " + top);
        parkedMs.entrySet().stream().sorted(Map.Entry.<String, Double> comparingByValue().reversed()).limit(top)
                .forEach(en -> System.out.printf("%10.0f %s %s%n", en.getValue(),
                        windowMs > 0 ? String.format("%5.1f%%", 100 * en.getValue() / windowMs) : "", en.getKey()));
        printCollections(events);
    }

    /**
     * The collections by collector (with Serial: DefNew young, SerialOld full), and how much more the heap held after
     * a collection than after the one before, over the collections after which it held more: what survived eden,
     * into a survivor space or promoted.
     */
    private static void printCollections(List<RecordedEvent> events) {
        Map<String, Integer> count = new TreeMap<>();
        Map<String, Double> pausedMs = new TreeMap<>();
        TreeMap<Integer, Long> usedAfter = new TreeMap<>();
        for (RecordedEvent e : events) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.GarbageCollection")) {
                count.merge(e.getString("name"), 1, Integer::sum);
                pausedMs.merge(e.getString("name"), e.getDuration("sumOfPauses").toNanos() / 1e6, Double::sum);
            } else if (type.equals("jdk.GCHeapSummary") && e.getString("when").equals("After GC")) {
                usedAfter.put(e.getInt("gcId"), e.getLong("heapUsed"));
            }
        }
        System.out.println("\n== collections by collector: count, sum of pauses");
        count.forEach((name, n) -> System.out.printf("%6d %8.0f ms  %s%n", n, pausedMs.get(name), name));
        long rises = 0;
        long risen = 0;
        for (var after : usedAfter.entrySet()) {
            Long before = usedAfter.get(after.getKey() - 1);
            if (before != null && after.getValue() > before) {
                rises++;
                risen += after.getValue() - before;
            }
        }
        if (rises > 0) {
            System.out.printf("heap after a collection, over the %d after which it held more than after the one"
                    + " before: %.1f MB (MiB, as jfr prints) more on average%n", rises, risen / rises / 1048576.0);
        }
    }

    private static String thread(RecordedEvent e) {
        var t = e.hasField("sampledThread") ? e.getThread("sampledThread") : e.getThread();
        if (t == null) {
            return "?";
        }
        // executor threads differ only by their number
        return String.valueOf(t.getJavaName()).replaceAll("[-#]?\\d+$", "-N").replaceAll("-\\d+-", "-N-");
    }

    private static String frame(RecordedStackTrace stack, int index) {
        if (stack == null || stack.getFrames().size() <= index) {
            return "?";
        }
        return name(stack.getFrames().get(index));
    }

    static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String firstPosflowFrame(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return "?";
        }
        for (RecordedFrame frame : e.getStackTrace().getFrames()) {
            if (frame.getMethod().getType().getName().startsWith("dev.posflow")) {
                return name(frame);
            }
        }
        return "(no posflow frame) " + thread(e);
    }

    private static String firstInterestingFrame(RecordedStackTrace stack) {
        if (stack == null) {
            return "?";
        }
        for (RecordedFrame frame : stack.getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return name(frame);
            }
        }
        return frame(stack, 0);
    }

    private static Map<String, Long> count(List<RecordedEvent> samples, Function<RecordedEvent, String> key) {
        return samples.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    }

    private static Map<String, Long> countInclusive(List<RecordedEvent> samples) {
        Map<String, Long> counts = new HashMap<>();
        for (RecordedEvent e : samples) {
            if (e.getStackTrace() == null) {
                continue;
            }
            e.getStackTrace().getFrames().stream().map(JfrTop::name).distinct()
                    .forEach(name -> counts.merge(name, 1L, Long::sum));
        }
        return counts;
    }

    /** The top entries, each with its count (samples, or bytes) and its share of the total. */
    static void print(String title, Map<String, Long> counts, long total, int top) {
        System.out.println("\n== " + title + ", top " + top);
        counts.entrySet().stream().sorted(Map.Entry.<String, Long> comparingByValue().reversed()).limit(top)
                .forEach(en -> System.out.printf("%6d %5.1f%%  %s%n", en.getValue(), 100.0 * en.getValue() / total,
                        en.getKey()));
    }

    private JfrTop() {
    }
}
