package dev.posflow.sampling;

/** A screen position. */
public record Point(int x, int y) {
}
