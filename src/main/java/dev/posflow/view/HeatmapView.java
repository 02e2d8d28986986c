package dev.posflow.view;

import java.util.List;

import dev.posflow.store.read.Heatmap;

/**
 * A heatmap as the API writes it: the grid's origin and cell size in coordinate units, and the count of every
 * non-empty cell; cell (cx, cy) spans x from {@code origin.x + cx * cell} (inclusive) to {@code + cell} (exclusive),
 * likewise y. Coordinates are posflow's planar x and y.
 */
public record HeatmapView(String source, String from, String to, Origin origin, int cell, long total, long max,
        List<CellView> cells) {

    public record Origin(int x, int y) {
    }

    public record CellView(long cx, long cy, long count) {
    }

    public static HeatmapView of(String source, String from, String to, Heatmap heatmap) {
        List<CellView> cells = heatmap.cells().stream().map(c -> new CellView(c.cx(), c.cy(), c.count())).toList();
        return new HeatmapView(source, from, to, new Origin(0, 0), heatmap.cell(),
                cells.stream().mapToLong(CellView::count).sum(),
                cells.stream().mapToLong(CellView::count).max().orElse(0), cells);
    }
}
