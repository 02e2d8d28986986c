package dev.posflow.store.read;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.posflow.config.PosflowConfig;
import dev.posflow.sample.CoordinateRange;
import io.quarkus.agroal.DataSource;

/**
 * Counts positions per grid cell in MySQL ({@code group by floor(x / cell), floor(y / cell)}): only the cells travel
 * to Java, never the rows. Plain JDBC: the grouping expressions are not something HQL writes better.
 * <p>
 * The grid covers a bounding box, and a box with more cells than allowed is refused before any query: the number of
 * groups MySQL would build is known from the box and the cell size alone, whereas counting the non-empty cells meant
 * grouping every row of the range first.
 */
@ApplicationScoped
public class HeatmapReader {

    /** The box holds more than {@code maxCells} cells of this size. */
    public static class TooManyCellsException extends RuntimeException {

        public TooManyCellsException(String message) {
            super(message, null, false, false);
        }
    }

    private final javax.sql.DataSource dataSource;
    private final Duration timeLimit;

    /** @param dataSource the reads pool, which ingest does not use */
    HeatmapReader(@DataSource("reads") javax.sql.DataSource dataSource, PosflowConfig config) {
        this.dataSource = dataSource;
        this.timeLimit = config.reads().statementTimeout();
    }

    /** Cells of this size that the box's grid spans, whether they hold positions or not. */
    public static long cells(CoordinateRange x, CoordinateRange y, int cell) {
        return (Math.floorDiv((long) x.max(), cell) - Math.floorDiv((long) x.min(), cell) + 1)
                * (Math.floorDiv((long) y.max(), cell) - Math.floorDiv((long) y.min(), cell) + 1);
    }

    /**
     * Counts the positions of the range inside the box (x and y inclusive).
     *
     * @throws TooManyCellsException before any query, when the box spans more than {@code maxCells} cells
     */
    public Heatmap count(PositionFilter filter, CoordinateRange x, CoordinateRange y, int cell, int maxCells) {
        long spanned = cells(x, y, cell);
        if (spanned > maxCells) {
            throw new TooManyCellsException("x " + x + ", y " + y + " spans " + spanned + " cells of size " + cell
                    + ", more than the " + maxCells + " allowed");
        }
        StringBuilder sql = new StringBuilder("select floor(x / ?) as cx, floor(y / ?) as cy, count(*)"
                + " from positions where x between ? and ? and y between ? and ?");
        filter.appendTo(sql).append(" group by cx, cy order by cx, cy");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        ReadTimeLimit.limit(connection, sql.toString(), timeLimit))) {
            select.setInt(1, cell);
            select.setInt(2, cell);
            select.setInt(3, x.min());
            select.setInt(4, x.max());
            select.setInt(5, y.min());
            select.setInt(6, y.max());
            filter.bind(select, 7);
            List<Heatmap.Cell> cells = new ArrayList<>();
            try (ResultSet result = ReadTimeLimit.executeQuery(select)) {
                while (result.next()) {
                    cells.add(new Heatmap.Cell(result.getLong(1), result.getLong(2), result.getLong(3)));
                }
            }
            return new Heatmap(cell, cells);
        } catch (SQLException e) {
            throw ReadTimedOutException.of("The heatmap", e);
        }
    }
}
