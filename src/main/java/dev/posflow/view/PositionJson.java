package dev.posflow.view;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;

import dev.posflow.store.read.PositionRow;

/**
 * The one writer of a position's JSON shape: history pages, GET /positions/{id}, the latest positions
 * ({@link PositionView}), the live stream ({@link LivePositionView}, without id and receivedAt) and the NDJSON export
 * all come through {@link #write(JsonGenerator, long, String, char[], int, int, char[], String, int, long)}. Rows read
 * from MySQL are written straight from the reused {@link PositionRow}, with no view object per row (issue 11); one
 * instance per response holds the scratch space for their instants.
 */
public final class PositionJson {

    /** Leaves the id out: the live stream shows positions before they have one to show. */
    static final long NO_ID = -1;

    private final JsonGenerator out;
    private final char[] sampledAt = new char[InstantText.LENGTH];
    private final char[] receivedAt = new char[InstantText.LENGTH];

    public PositionJson(JsonGenerator out) {
        this.out = out;
    }

    /** One position read. */
    public void write(PositionRow row) throws IOException {
        write(out, row.id(), row.source(), InstantText.of(row.sampledAt(), sampledAt), row.x(), row.y(),
                InstantText.of(row.receivedAt(), receivedAt), row.topic(), row.partition(), row.offset());
    }

    /** Opens a {@link PageView}: its items follow, one {@link #write} each. */
    public void startPage() throws IOException {
        out.writeStartObject();
        out.writeArrayFieldStart("items");
    }

    /** Closes a {@link PageView} with its cursor, null on the last page. */
    public void endPage(String next) throws IOException {
        out.writeEndArray();
        out.writeStringField("next", next);
        out.writeEndObject();
    }

    /**
     * The shape: {@code {"id", "source", "sampledAt", "x", "y", "receivedAt", "kafka": {"topic", "partition",
     * "offset"}}}, the fields of {@link PositionView} in their order.
     *
     * @param id {@link #NO_ID} to leave it out
     * @param receivedAt null to leave it out
     */
    static void write(JsonGenerator out, long id, String source, char[] sampledAt, int x, int y, char[] receivedAt,
            String topic, int partition, long offset) throws IOException {
        out.writeStartObject();
        if (id != NO_ID) {
            out.writeNumberField("id", id);
        }
        out.writeStringField("source", source);
        out.writeFieldName("sampledAt");
        out.writeString(sampledAt, 0, sampledAt.length);
        out.writeNumberField("x", x);
        out.writeNumberField("y", y);
        if (receivedAt != null) {
            out.writeFieldName("receivedAt");
            out.writeString(receivedAt, 0, receivedAt.length);
        }
        out.writeObjectFieldStart("kafka");
        out.writeStringField("topic", topic);
        out.writeNumberField("partition", partition);
        out.writeNumberField("offset", offset);
        out.writeEndObject();
        out.writeEndObject();
    }
}
