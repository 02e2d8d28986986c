package dev.posflow.sampling;

import java.util.Optional;

/** Where the sampler reads positions from. */
public interface PositionSource {

    /** @return the current position, or empty when there is none to read */
    Optional<Point> current();
}
