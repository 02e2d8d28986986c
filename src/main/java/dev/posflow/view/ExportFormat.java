package dev.posflow.view;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import dev.posflow.store.read.PositionRow;

/**
 * The shapes an export is written in, each by a Jackson generator straight from the row as it comes from the
 * database, with nothing held per row. NDJSON is the API's JSON of a position ({@link PositionJson}), one per line.
 * Text is escaped by Jackson, for rows an operator may have written by hand.
 */
public enum ExportFormat {

    /** A header line, then one line per position. */
    CSV("text/csv", "csv") {
        @Override
        public Encoder open(OutputStream out, JsonFactory json) throws IOException {
            CsvGenerator csv = CSV_FACTORY.createGenerator(out);
            csv.setSchema(CSV_SCHEMA);
            // the header as a row of its own: the schema's header would be left out of an export without rows
            csv.writeStartArray();
            for (CsvSchema.Column column : CSV_SCHEMA) {
                csv.writeString(column.getName());
            }
            csv.writeEndArray();
            return new Encoder(csv) {
                @Override
                public void row(PositionRow row) throws IOException {
                    csv.writeStartArray();
                    csv.writeNumber(row.id());
                    csv.writeString(row.source());
                    csv.writeString(InstantText.of(row.sampledAt(), sampledAt), 0, InstantText.LENGTH);
                    csv.writeNumber(row.x());
                    csv.writeNumber(row.y());
                    csv.writeString(InstantText.of(row.receivedAt(), receivedAt), 0, InstantText.LENGTH);
                    csv.writeString(row.topic());
                    csv.writeNumber(row.partition());
                    csv.writeNumber(row.offset());
                    csv.writeEndArray();
                }
            };
        }
    },

    /** One JSON object per line, as GET /positions/{id} writes a position. */
    NDJSON("application/x-ndjson", "ndjson") {
        @Override
        public Encoder open(OutputStream out, JsonFactory json) throws IOException {
            JsonGenerator lines = json.createGenerator(out);
            lines.setRootValueSeparator(null);
            PositionJson position = new PositionJson(lines);
            return new Encoder(lines) {
                @Override
                public void row(PositionRow row) throws IOException {
                    position.write(row);
                    lines.writeRaw('\n');
                }
            };
        }
    },

    /**
     * A FeatureCollection of Points, one feature a line. The coordinates are posflow's planar x and y (screen pixels, a
     * floor plan), NOT longitude and latitude: a GIS tool must be told to take them as a plain Cartesian plane.
     */
    GEOJSON("application/geo+json", "geojson") {
        @Override
        public Encoder open(OutputStream out, JsonFactory json) throws IOException {
            JsonGenerator geo = json.createGenerator(out);
            geo.setPrettyPrinter(new FeaturePerLine());
            geo.writeStartObject();
            geo.writeStringField("type", "FeatureCollection");
            geo.writeArrayFieldStart("features");
            return new Encoder(geo) {
                @Override
                public void row(PositionRow row) throws IOException {
                    geo.writeStartObject();
                    geo.writeStringField("type", "Feature");
                    geo.writeNumberField("id", row.id());
                    geo.writeObjectFieldStart("geometry");
                    geo.writeStringField("type", "Point");
                    geo.writeArrayFieldStart("coordinates");
                    geo.writeNumber(row.x());
                    geo.writeNumber(row.y());
                    geo.writeEndArray();
                    geo.writeEndObject();
                    geo.writeObjectFieldStart("properties");
                    geo.writeStringField("source", row.source());
                    geo.writeFieldName("sampledAt");
                    geo.writeString(InstantText.of(row.sampledAt(), sampledAt), 0, InstantText.LENGTH);
                    geo.writeFieldName("receivedAt");
                    geo.writeString(InstantText.of(row.receivedAt(), receivedAt), 0, InstantText.LENGTH);
                    geo.writeEndObject();
                    geo.writeEndObject();
                }

                @Override
                public void end() throws IOException {
                    geo.writeEndArray();
                    geo.writeEndObject();
                    geo.writeRaw('\n');
                }
            };
        }
    };

    private static final CsvFactory CSV_FACTORY = new CsvFactory()
            // quoted only where CSV needs it (a separator, quote or line break), as spreadsheets write it
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);

    private static final CsvSchema CSV_SCHEMA = CsvSchema.builder().addColumn("id").addColumn("source")
            .addColumn("sampledAt").addColumn("x").addColumn("y").addColumn("receivedAt").addColumn("kafkaTopic")
            .addColumn("kafkaPartition").addColumn("kafkaOffset").build().withoutHeader().withLineSeparator("\n");

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

    /**
     * Starts an export into {@code out}; {@code json} is the application's factory, so that NDJSON is written with
     * the API's settings.
     */
    public abstract Encoder open(OutputStream out, JsonFactory json) throws IOException;

    /** Writes the rows of one export, then its end; the target stays open. */
    public abstract static class Encoder {

        private final JsonGenerator generator;
        /** Scratch space for a row's instants (InstantText): one per export, not one per row. */
        final char[] sampledAt = new char[InstantText.LENGTH];
        final char[] receivedAt = new char[InstantText.LENGTH];

        Encoder(JsonGenerator generator) {
            this.generator = generator;
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        }

        public abstract void row(PositionRow row) throws IOException;

        public void end() throws IOException {
        }

        /** Writes the end and what the generator still buffers. */
        public final void finish() throws IOException {
            end();
            generator.close();
        }
    }

    /**
     * Compact JSON, except that the features array has a line per feature: {@code [\n{..},\n{..}\n]}, the shape
     * posflow's GeoJSON export has always had (a file a line-oriented tool can split).
     */
    private static final class FeaturePerLine extends MinimalPrettyPrinter {

        FeaturePerLine() {
            super("");
        }

        /** The features array: a field of the root object. */
        private static boolean features(JsonGenerator out) {
            JsonStreamContext array = out.getOutputContext();
            return array.inArray() && array.getParent() != null && array.getParent().getParent() != null
                    && array.getParent().getParent().inRoot();
        }

        @Override
        public void writeStartArray(JsonGenerator out) throws IOException {
            out.writeRaw(features(out) ? "[\n" : "[");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator out) throws IOException {
            out.writeRaw(features(out) ? ",\n" : ",");
        }

        @Override
        public void writeEndArray(JsonGenerator out, int values) throws IOException {
            out.writeRaw(features(out) ? "\n]" : "]");
        }
    }
}
