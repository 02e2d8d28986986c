package dev.posflow.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The limit as the database's own command-line client reaches it: the same N rows as {@link RawLimit}, written as a
 * SQL text of multi-row INSERTs (one statement per batch, so one autocommit transaction each) for {@code mysql <
 * file}. The client then only parses and sends text: no driver, no parameter binding. The file is written before the
 * clock starts.
 * <p>
 * Usage: RawSql n batchSize sources table file
 */
public final class RawSql {

    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        int batchSize = Integer.parseInt(args[1]);
        int sources = Integer.parseInt(args[2]);
        String table = args[3];
        String topic = "bench-json";
        // every batch's received_at is the moment the file is written: the same bytes per row as RawLimit's
        String receivedAt = LocalDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC)
                .format(RawLimit.DATETIME6);
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[4]), StandardCharsets.UTF_8)) {
            for (int from = 0; from < n; from += batchSize) {
                out.write("insert into " + table + " (source, sampled_at, x, y, received_at, kafka_topic,"
                        + " kafka_partition, kafka_offset, kafka_incarnation) values ");
                for (int i = from; i < Math.min(n, from + batchSize); i++) {
                    // the names are src-NNNNNN and bench-json: nothing to escape
                    String sampledAt = Preload.BASE.plus(i, ChronoUnit.MILLIS).format(RawLimit.DATETIME6);
                    out.write((i > from ? "," : "") + "('" + Preload.source(i, sources, topic) + "','" + sampledAt
                            + "'," + i + "," + (i % 1080) + ",'" + receivedAt + "','" + topic + "',0," + i + ",0)");
                }
                out.write(";\n");
            }
        }
    }

    private RawSql() {
    }
}
