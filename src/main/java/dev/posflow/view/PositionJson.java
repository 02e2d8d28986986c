package dev.posflow.view;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;

import dev.posflow.store.PositionRow;

/**
 * Writes positions straight from the rows read, as {@link PositionView} and {@link PageView} would be written: the same
 * fields in the same order, through the same generator, without a view object per row (PositionJsonTest holds the two
 * to the same bytes). Keep in step with those records.
 */
public final class PositionJson {

    private PositionJson() {
    }

    /** One position, as the JSON of its {@link PositionView}. */
    public static void write(JsonGenerator out, PositionRow row) throws IOException {
        out.writeStartObject();
        out.writeNumberField("id", row.id());
        out.writeStringField("source", row.source());
        out.writeFieldName("sampledAt");
        out.writeString(row.sampledAt(), 0, PositionRow.INSTANT_LENGTH);
        out.writeNumberField("x", row.x());
        out.writeNumberField("y", row.y());
        out.writeFieldName("receivedAt");
        out.writeString(row.receivedAt(), 0, PositionRow.INSTANT_LENGTH);
        out.writeObjectFieldStart("kafka");
        out.writeStringField("topic", row.topic());
        out.writeNumberField("partition", row.partition());
        out.writeNumberField("offset", row.offset());
        out.writeEndObject();
        out.writeEndObject();
    }

    /** Opens a {@link PageView}: its items follow, one {@link #write} each. */
    public static void startPage(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeArrayFieldStart("items");
    }

    /** Closes a {@link PageView} with its cursor, null on the last page. */
    public static void endPage(JsonGenerator out, String next) throws IOException {
        out.writeEndArray();
        out.writeStringField("next", next);
        out.writeEndObject();
    }
}
