package dev.posflow.store.read;

import java.util.List;

/**
 * Positions counted per cell of a square grid whose origin is (0, 0): cell (cx, cy) holds the positions with
 * {@code cx * cell <= x < (cx + 1) * cell}, likewise y.
 *
 * @param cells the non-empty cells, by cx then cy
 */
public record Heatmap(int cell, List<Cell> cells) {

    public record Cell(long cx, long cy, long count) {
    }
}
