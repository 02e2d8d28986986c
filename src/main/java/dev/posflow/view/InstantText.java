package dev.posflow.view;

import java.nio.charset.StandardCharsets;

import dev.posflow.sample.MicrosInstant;
import dev.posflow.store.read.PositionRow;

/**
 * An instant as the API writes it ({@link MicrosInstant}: {@code uuuu-MM-ddTHH:mm:ss.SSSSSSZ}, UTC, six fractional
 * digits) from the DATETIME(6) text a row was read with: the same digits, a 'T' and a 'Z', without an Instant or a
 * formatter per row (they were a sixth of a history page's CPU: issue 11).
 */
public final class InstantText {

    /** {@code uuuu-MM-ddTHH:mm:ss.SSSSSSZ}: DATETIME(6) years have four digits. */
    public static final int LENGTH = MicrosInstant.LENGTH;

    private InstantText() {
    }

    /**
     * From the DATETIME(6) text of a {@link PositionRow} instant as a string; null stays null. Once per changed source
     * (the latest snapshot, /sources), not per history row: the copy to bytes is not worth a second version of the
     * conversion.
     */
    public static String of(String datetime) {
        return datetime == null ? null
                : new String(of(datetime.getBytes(StandardCharsets.US_ASCII), new char[LENGTH]));
    }

    /** Fills {@code target} ({@link #LENGTH} chars) from a {@link PositionRow} instant. */
    public static char[] of(byte[] datetime, char[] target) {
        for (int i = 0; i < PositionRow.DATETIME_LENGTH; i++) {
            target[i] = (char) datetime[i];
        }
        target[10] = 'T';
        target[26] = 'Z';
        return target;
    }
}
