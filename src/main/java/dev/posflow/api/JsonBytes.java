package dev.posflow.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A view as JSON bytes with the application's settings: answers built once and handed to Quarkus REST as bytes. */
final class JsonBytes {

    private JsonBytes() {
    }

    static byte[] of(ObjectMapper json, Object view) {
        try {
            return json.writeValueAsBytes(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(view.getClass().getSimpleName() + " could not be written as JSON", e);
        }
    }
}
