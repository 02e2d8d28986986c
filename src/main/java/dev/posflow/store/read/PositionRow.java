package dev.posflow.store.read;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The current row of a read of positions, one object reused for every row: a page of history then costs no entity,
 * no view and no Instant per row (they were most of its CPU: issue 11). Valid only inside the callback it is handed
 * to. Instants are kept as the DATETIME(6) text MySQL sends ({@link #DATETIME_LENGTH} bytes, UTC), not parsed into an
 * Instant; how the API writes them is the view's business (view.InstantText).
 */
public final class PositionRow {

    /** {@code yyyy-MM-dd HH:mm:ss.ffffff}: a DATETIME(6) as MySQL's text protocol sends it, all six digits. */
    public static final int DATETIME_LENGTH = 26;

    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    /** The columns, in the order {@link #read} expects them. */
    static final String COLUMNS = "id, source, sampled_at, x, y, received_at, kafka_topic, kafka_partition,"
            + " kafka_offset";

    private long id;
    private String source;
    private final byte[] sampledAt = new byte[DATETIME_LENGTH];
    private int x;
    private int y;
    private final byte[] receivedAt = new byte[DATETIME_LENGTH];
    private String topic;
    private int partition;
    private long offset;

    PositionRow() {
    }

    /** Takes the current row of a result set of {@link #COLUMNS}. */
    void read(ResultSet result) throws SQLException {
        id = result.getLong(1);
        source = result.getString(2);
        datetime(result, 3, sampledAt);
        x = result.getInt(4);
        y = result.getInt(5);
        datetime(result, 6, receivedAt);
        topic = result.getString(7);
        partition = result.getInt(8);
        offset = result.getLong(9);
    }

    public long id() {
        return id;
    }

    public String source() {
        return source;
    }

    /** The sampling time, UTC, as {@link #DATETIME_LENGTH} ASCII bytes; do not modify. */
    public byte[] sampledAt() {
        return sampledAt;
    }

    public int x() {
        return x;
    }

    public int y() {
        return y;
    }

    /** The time posflow received the sample, as {@link #sampledAt()}. */
    public byte[] receivedAt() {
        return receivedAt;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    /**
     * The sampling time as an Instant (for a cursor, once a page). Read from the digits by hand: Instant.parse took
     * 15 % of the CPU of a 100-row page (JFR, issue 11).
     */
    Instant sampledAtInstant() {
        LocalDateTime time = LocalDateTime.of(number(sampledAt, 0, 4), number(sampledAt, 5, 2),
                number(sampledAt, 8, 2), number(sampledAt, 11, 2), number(sampledAt, 14, 2), number(sampledAt, 17, 2),
                number(sampledAt, 20, 6) * 1_000);
        return time.toInstant(ZoneOffset.UTC);
    }

    private static int number(byte[] text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            value = value * 10 + (text[i] - '0');
        }
        return value;
    }

    /** A DATETIME(6) column as its {@link #DATETIME_LENGTH}-character text, all six fractional digits; null if NULL. */
    static String datetime(ResultSet result, int column) throws SQLException {
        byte[] raw = result.getBytes(column);
        if (raw == null) {
            return null;
        }
        byte[] text = new byte[DATETIME_LENGTH];
        datetime(raw, result, column, text);
        return new String(text, StandardCharsets.US_ASCII);
    }

    /**
     * A DATETIME(6) column into {@code target}, all six fractional digits. The text protocol sends it as
     * {@code yyyy-MM-dd HH:mm:ss.ffffff} (MariaDB and MySQL alike; getString would drop an all-zero fraction, so the
     * bytes are read); other shapes (the binary protocol, if useServerPrepStmts is set) go the slow way.
     */
    private static void datetime(ResultSet result, int column, byte[] target) throws SQLException {
        datetime(result.getBytes(column), result, column, target);
    }

    private static void datetime(byte[] text, ResultSet result, int column, byte[] target) throws SQLException {
        if (text.length >= 19 && text[4] == '-' && text[10] == ' ' && text[13] == ':'
                && (text.length == 19 || text[19] == '.')) {
            System.arraycopy(text, 0, target, 0, Math.min(text.length, DATETIME_LENGTH));
            target[19] = '.';
            for (int i = Math.max(text.length, 20); i < DATETIME_LENGTH; i++) {
                target[i] = '0';
            }
        } else {
            byte[] formatted = DATETIME.format(result.getObject(column, LocalDateTime.class))
                    .getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(formatted, 0, target, 0, DATETIME_LENGTH);
        }
    }
}
