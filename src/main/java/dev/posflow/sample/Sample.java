package dev.posflow.sample;

import java.time.Instant;
import java.util.Optional;

/**
 * One position sample as posflow understands it, whatever the wire format it came in.
 *
 * @param source the sampling device, or empty when the producer did not say (field producers never do)
 */
public record Sample(Optional<String> source, Instant sampledAt, int x, int y) {

    public static final int MAX_SOURCE_LENGTH = SourceName.MAX_LENGTH;

    public Sample withSourceIfAbsent(String fallback) {
        return source.isPresent() ? this : new Sample(Optional.of(fallback), sampledAt, x, y);
    }
}
