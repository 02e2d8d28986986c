package dev.posflow.store.read;

import java.util.Comparator;

/**
 * Source names in the order MySQL gives them in latest_positions (utf8mb4_bin): by code point. String.compareTo
 * compares UTF-16 units, which puts U+E000..U+FFFF after the supplementary planes; the two orders differ only there.
 * (utf8mb4_bin also ignores trailing spaces; names ending in control characters could sort differently. posflow's
 * names are printable in practice.)
 */
public final class SourceOrder {

    public static final Comparator<String> BY_CODE_POINT = SourceOrder::compare;

    private SourceOrder() {
    }

    static int compare(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return Integer.compare(a.codePointAt(i), b.codePointAt(i));
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
