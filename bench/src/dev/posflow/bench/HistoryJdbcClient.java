package dev.posflow.bench;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The yardstick of posflow's history pages: a plain JDBC client, one thread, one connection, that runs the SQL
 * posflow runs for GET /positions?source=S&limit=L (store.read.PositionReader.sql: one more row than asked tells whether a
 * next page exists) and writes the same JSON bytes (view.PositionJson, api.Cursor) to a sink in memory with a Jackson
 * generator. Nothing is cached: every page is a new statement, a new result set, new JSON.
 * <p>
 * Usage: HistoryJdbcClient jdbcUrl source limit pages [file]
 * <br>Prints one line: {@code JDBC limit=L rows=R pages=P us_per_page=.. us_per_row=.. p50_us=.. cpu_us_per_page=..}
 * after as many unmeasured pages again as a warm-up; the optional file receives one page's bytes, for the benchmark to
 * compare with posflow's answer.
 */
public final class HistoryJdbcClient {

    private static final String SQL = "select id, source, sampled_at, x, y, received_at, kafka_topic, kafka_partition,"
            + " kafka_offset from positions where 1 = 1 and source = ? order by sampled_at, id limit ";

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String source = args[1];
        int limit = Integer.parseInt(args[2]);
        int pages = Integer.parseInt(args[3]);
        // posflow's driver properties (application.properties)
        String properties = (url.contains("?") ? "&" : "?") + "user=root&password=&useSSL=false"
                + "&allowPublicKeyRetrieval=true&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
                + "&characterEncoding=UTF-8&rewriteBatchedStatements=true";
        JsonFactory json = new JsonFactory();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        try (Connection connection = DriverManager.getConnection(url + properties)) {
            long[] micros = new long[pages];
            long sink = 0;
            int rows = 0;
            long cpuStart = 0;
            long wallStart = 0;
            for (int i = -pages; i < pages; i++) {
                if (i == 0) {
                    cpuStart = cpu.getCurrentThreadCpuTime();
                    wallStart = System.nanoTime();
                }
                long t0 = System.nanoTime();
                byte[] page = page(connection, json, source, limit);
                if (i >= 0) {
                    micros[i] = (System.nanoTime() - t0) / 1_000;
                }
                sink += page.length;
                if (i == pages - 1 && args.length > 4) {
                    try (FileOutputStream out = new FileOutputStream(args[4])) {
                        out.write(page);
                    }
                    rows = countItems(page);
                }
            }
            double wall = (System.nanoTime() - wallStart) / 1_000.0 / pages;
            double cpuPerPage = (cpu.getCurrentThreadCpuTime() - cpuStart) / 1_000.0 / pages;
            Arrays.sort(micros);
            if (rows == 0) {
                rows = countItems(page(connection, json, source, limit));
            }
            System.out.printf("JDBC limit=%d rows=%d pages=%d us_per_page=%.1f us_per_row=%.2f p50_us=%d"
                    + " cpu_us_per_page=%.1f bytes=%d%n", limit, rows, pages, wall, wall / Math.max(rows, 1),
                    micros[pages / 2], cpuPerPage, sink / (2L * pages));
        }
    }

    /** One page as posflow answers it: {"items":[...],"next":cursor or null}. */
    static byte[] page(Connection connection, JsonFactory json, String source, int limit) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 224 * limit);
        try (PreparedStatement select = connection.prepareStatement(SQL + (limit + 1))) {
            select.setString(1, source);
            try (ResultSet result = select.executeQuery(); JsonGenerator out = json.createGenerator(bytes)) {
                out.writeStartObject();
                out.writeArrayFieldStart("items");
                int rows = 0;
                String next = null;
                long lastId = 0;
                char[] sampledAt = new char[27];
                char[] receivedAt = new char[27];
                while (result.next()) {
                    if (rows == limit) {
                        next = cursor(sampledAt, lastId);
                        break;
                    }
                    lastId = result.getLong(1);
                    out.writeStartObject();
                    out.writeNumberField("id", lastId);
                    out.writeStringField("source", result.getString(2));
                    out.writeFieldName("sampledAt");
                    out.writeString(instant(result.getBytes(3), sampledAt), 0, 27);
                    out.writeNumberField("x", result.getInt(4));
                    out.writeNumberField("y", result.getInt(5));
                    out.writeFieldName("receivedAt");
                    out.writeString(instant(result.getBytes(6), receivedAt), 0, 27);
                    out.writeObjectFieldStart("kafka");
                    out.writeStringField("topic", result.getString(7));
                    out.writeNumberField("partition", result.getInt(8));
                    out.writeNumberField("offset", result.getLong(9));
                    out.writeEndObject();
                    out.writeEndObject();
                    rows++;
                }
                out.writeEndArray();
                out.writeStringField("next", next);
                out.writeEndObject();
            }
        }
        return bytes.toByteArray();
    }

    /** DATETIME(6) text {@code yyyy-MM-dd HH:mm:ss[.ffffff]} as the API's {@code yyyy-MM-ddTHH:mm:ss.ffffffZ}. */
    private static char[] instant(byte[] text, char[] target) {
        for (int i = 0; i < 19; i++) {
            target[i] = (char) text[i];
        }
        target[10] = 'T';
        target[19] = '.';
        for (int i = 20; i < 26; i++) {
            target[i] = i < text.length ? (char) text[i] : '0';
        }
        target[26] = 'Z';
        return target;
    }

    /** posflow's cursor: base64url("1:" + µs since the epoch + ":" + id), once a page. */
    private static String cursor(char[] sampledAt, long id) {
        LocalDateTime time = LocalDateTime.parse(new String(sampledAt, 0, 26));
        long micros = time.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + time.getNano() / 1_000;
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("1:" + micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static int countItems(byte[] page) {
        String text = new String(page, StandardCharsets.UTF_8);
        int count = 0;
        for (int at = text.indexOf("\"kafka\":"); at >= 0; at = text.indexOf("\"kafka\":", at + 1)) {
            count++;
        }
        return count;
    }
}
