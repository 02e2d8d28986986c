package dev.posflow.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/** One row of figures per scenario, printed and kept in target/faults/results.md for docs/delivery.md. */
final class Results {

    private static final String HEADER = "| scenario | records | faults | rows | duplicates | dead letters | recovery | wall time |\n"
            + "|---|---|---|---|---|---|---|---|\n";

    private Results() {
    }

    static void record(String scenario, long records, String faults, long rows, long duplicates, long deadLetters,
            String recovery, long wallSeconds) {
        String row = String.format("| %s | %,d | %s | %,d | %d | %,d | %s | %d s |%n", scenario, records, faults, rows,
                duplicates, deadLetters, recovery, wallSeconds);
        System.out.print("FAULT SUITE " + row);
        try {
            Files.createDirectories(Processes.LOGS);
            var file = Processes.LOGS.resolve("results.md");
            if (!Files.exists(file)) {
                Files.writeString(file, HEADER);
            }
            Files.writeString(file, row, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
