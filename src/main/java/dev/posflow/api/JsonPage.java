package dev.posflow.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code {"items":[...],"next":...}} of the source-ordered pages (/positions/latest, /sources) from items already
 * written as JSON, as Jackson writes PageView and SourcePageView: the pages served from memory cost no serialisation.
 */
final class JsonPage {

    private static final byte[] ITEMS = "{\"items\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_NEXT = "],\"next\":null}".getBytes(StandardCharsets.US_ASCII);

    private JsonPage() {
    }

    /** @param lastOfMore the last source of the page when more follow (the next cursor names it), else null */
    static byte[] of(List<byte[]> items, String lastOfMore) {
        int size = 32;
        for (byte[] item : items) {
            size += item.length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 96);
        out.writeBytes(ITEMS);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(items.get(i));
        }
        out.writeBytes(lastOfMore == null ? NO_NEXT
                : ("],\"next\":\"" + SourceCursor.encode(lastOfMore) + "\"}").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
