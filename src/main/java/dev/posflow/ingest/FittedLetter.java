package dev.posflow.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A dead letter as it is sent: the record's original value bytes, key and headers when they fit the dead-letter
 * topic's size limit, else what fits, saying so.
 * <p>
 * Every letter carries {@code dead-letter-reason}, {@code -topic}, {@code -partition} and {@code -offset} (the
 * headers of SmallRye's dead-letter-queue strategy) and {@code dead-letter-value-size} and
 * {@code dead-letter-value-sha256}, which identify the original value whether or not the letter holds all of it. A
 * truncated letter adds {@code dead-letter-truncated: true} and holds a prefix of the value; it keeps the record's
 * own headers and key only if they take no more than a quarter of the limit each
 * ({@code dead-letter-headers-dropped}, {@code dead-letter-key-dropped} say when not).
 */
record FittedLetter(String key, byte[] value, RecordHeaders headers, boolean truncated) {

    /**
     * What Kafka adds to a record beyond its bytes (lengths, offsets, timestamp, attributes, a share of its batch's
     * header): well above the real figure, so that an estimate within the limit is within the broker's too.
     */
    static final int RECORD_OVERHEAD = 512;
    private static final int HEADER_OVERHEAD = 16;

    static FittedLetter of(DeadLetter letter, int maxBytes) {
        byte[] value = letter.value();
        byte[] key = letter.record().key() == null ? null : letter.record().key().getBytes(StandardCharsets.UTF_8);
        Header[] own = letter.record().headers().toArray();
        RecordHeaders headers = new RecordHeaders();
        text(headers, "dead-letter-reason", letter.reason());
        text(headers, "dead-letter-topic", letter.record().topic());
        text(headers, "dead-letter-partition", String.valueOf(letter.record().partition()));
        text(headers, "dead-letter-offset", String.valueOf(letter.record().offset()));
        text(headers, "dead-letter-value-size", String.valueOf(value.length));
        text(headers, "dead-letter-value-sha256", sha256(value));

        long fixed = RECORD_OVERHEAD + size(headers.toArray()) + size("dead-letter-truncated", 4);
        long ownHeaders = size(own);
        long keySize = key == null ? 0 : key.length;
        if (fixed + ownHeaders + keySize + value.length <= maxBytes) {
            RecordHeaders all = new RecordHeaders(own);
            headers.forEach(all::add);
            return new FittedLetter(letter.record().key(), value, all, false);
        }
        RecordHeaders kept = new RecordHeaders();
        if (ownHeaders <= maxBytes / 4) {
            Arrays.stream(own).forEach(kept::add);
        } else {
            ownHeaders = 0;
            text(headers, "dead-letter-headers-dropped", String.valueOf(own.length));
            fixed += size("dead-letter-headers-dropped", 11);
        }
        String keptKey = letter.record().key();
        if (keySize > maxBytes / 4) {
            keptKey = null;
            text(headers, "dead-letter-key-dropped", String.valueOf(keySize));
            fixed += size("dead-letter-key-dropped", 11);
            keySize = 0;
        }
        text(headers, "dead-letter-truncated", "true");
        headers.forEach(kept::add);
        long room = Math.max(0, maxBytes - fixed - ownHeaders - keySize);
        return new FittedLetter(keptKey, Arrays.copyOf(value, (int) Math.min(room, value.length)), kept, true);
    }

    /** Hex SHA-256 of the value: tells which record a truncated letter (or a log line in its place) stood for. */
    static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void text(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static long size(Header[] headers) {
        long size = 0;
        for (Header header : headers) {
            size += size(header.key(), header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    private static long size(String name, int valueBytes) {
        return HEADER_OVERHEAD + name.getBytes(StandardCharsets.UTF_8).length + valueBytes;
    }
}
