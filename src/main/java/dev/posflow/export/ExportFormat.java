package dev.posflow.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import dev.posflow.store.PositionStream.Row;

/**
 * The shapes an export is written in. Each writes a row straight to the output as it comes from the database, with
 * nothing held per row; instants are already in the API's format (UTC, six fractional digits).
 * <p>
 * Written by hand rather than with Jackson's or a CSV library's writers: three fixed shapes of nine fields, where a
 * generic writer per row cost more than the rest of the export. Text fields are escaped all the same, for rows an
 * operator may have written by hand.
 */
public enum ExportFormat {

    /** A header line, then one line per position. */
    CSV("text/csv", "csv") {
        @Override
        void start(Writer out) throws IOException {
            out.ascii("id,source,sampledAt,x,y,receivedAt,kafkaTopic,kafkaPartition,kafkaOffset\n");
        }

        @Override
        void row(Writer out, Row row, boolean first) throws IOException {
            out.number(row.id()).ascii(",").csv(row.source()).ascii(",").ascii(row.sampledAt()).ascii(",")
                    .number(row.x()).ascii(",").number(row.y()).ascii(",").ascii(row.receivedAt()).ascii(",")
                    .csv(row.topic()).ascii(",").number(row.partition()).ascii(",").number(row.offset())
                    .ascii("\n");
        }
    },

    /** One JSON object per line, as GET /positions/{id} writes a position. */
    NDJSON("application/x-ndjson", "ndjson") {
        @Override
        void row(Writer out, Row row, boolean first) throws IOException {
            out.ascii("{\"id\":").number(row.id()).ascii(",\"source\":").json(row.source())
                    .ascii(",\"sampledAt\":\"").ascii(row.sampledAt()).ascii("\",\"x\":").number(row.x())
                    .ascii(",\"y\":").number(row.y()).ascii(",\"receivedAt\":\"").ascii(row.receivedAt())
                    .ascii("\",\"kafka\":{\"topic\":").json(row.topic()).ascii(",\"partition\":")
                    .number(row.partition()).ascii(",\"offset\":").number(row.offset()).ascii("}}\n");
        }
    },

    /**
     * A FeatureCollection of Points. The coordinates are posflow's planar x and y (screen pixels, a floor plan), NOT
     * longitude and latitude: a GIS tool must be told to take them as a plain Cartesian plane.
     */
    GEOJSON("application/geo+json", "geojson") {
        @Override
        void start(Writer out) throws IOException {
            out.ascii("{\"type\":\"FeatureCollection\",\"features\":[\n");
        }

        @Override
        void row(Writer out, Row row, boolean first) throws IOException {
            if (!first) {
                out.ascii(",\n");
            }
            out.ascii("{\"type\":\"Feature\",\"id\":").number(row.id())
                    .ascii(",\"geometry\":{\"type\":\"Point\",\"coordinates\":[").number(row.x()).ascii(",")
                    .number(row.y()).ascii("]},\"properties\":{\"source\":").json(row.source())
                    .ascii(",\"sampledAt\":\"").ascii(row.sampledAt()).ascii("\",\"receivedAt\":\"")
                    .ascii(row.receivedAt()).ascii("\"}}");
        }

        @Override
        void end(Writer out) throws IOException {
            out.ascii("\n]}\n");
        }
    };

    private final String mediaType;
    private final String extension;

    ExportFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    /** csv, ndjson or geojson, in any case. */
    public static Optional<ExportFormat> of(String name) {
        for (ExportFormat format : values()) {
            if (format.name().equals(name.toUpperCase(Locale.ROOT))) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    void start(Writer out) throws IOException {
    }

    abstract void row(Writer out, Row row, boolean first) throws IOException;

    void end(Writer out) throws IOException {
    }

    /**
     * Bytes into the output through a buffer of its own, without a String per row: BufferedOutputStream takes a lock
     * per call, and a row is a few dozen calls.
     */
    static final class Writer {

        private final OutputStream out;
        private final byte[] buffer;
        private int size;

        Writer(OutputStream out, int bufferSize) {
            this.out = out;
            this.buffer = new byte[bufferSize];
        }

        void flush() throws IOException {
            out.write(buffer, 0, size);
            size = 0;
            out.flush();
        }

        private void write(int b) throws IOException {
            if (size == buffer.length) {
                out.write(buffer, 0, size);
                size = 0;
            }
            buffer[size++] = (byte) b;
        }

        /** Text known to be ASCII without anything to escape: punctuation, numbers, formatted instants. */
        Writer ascii(String text) throws IOException {
            for (int i = 0; i < text.length(); i++) {
                write(text.charAt(i));
            }
            return this;
        }

        Writer number(long value) throws IOException {
            return ascii(Long.toString(value));
        }

        Writer csv(String text) throws IOException {
            boolean quote = text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
            if (!quote) {
                return utf8(text);
            }
            return ascii("\"").utf8(text.replace("\"", "\"\"")).ascii("\"");
        }

        Writer json(String text) throws IOException {
            StringBuilder escaped = null;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\' || c < 0x20) {
                    escaped = new StringBuilder(text.length() + 8);
                    break;
                }
            }
            if (escaped == null) {
                return ascii("\"").utf8(text).ascii("\"");
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    escaped.append('\\').append(c);
                } else if (c < 0x20) {
                    escaped.append(String.format("\\u%04x", (int) c));
                } else {
                    escaped.append(c);
                }
            }
            return ascii("\"").utf8(escaped.toString()).ascii("\"");
        }

        private Writer utf8(String text) throws IOException {
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                write(b);
            }
            return this;
        }
    }
}
