package dev.posflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts positions per grid cell in MySQL ({@code group by floor(x / cell), floor(y / cell)}): only the cells travel
 * to Java, never the rows. Plain JDBC: the grouping expressions are not something HQL writes better.
 */
@ApplicationScoped
public class HeatmapReader {

    /** The range covers more than {@code maxCells} non-empty cells of this size. */
    public static class TooManyCellsException extends RuntimeException {

        public TooManyCellsException(String message) {
            super(message, null, false, false);
        }
    }

    private final DataSource dataSource;

    HeatmapReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @throws TooManyCellsException beyond {@code maxCells} non-empty cells: the caller must choose larger cells */
    public Heatmap count(PositionFilter filter, int cell, int maxCells) {
        StringBuilder sql = new StringBuilder("select floor(x / ?) as cx, floor(y / ?) as cy, count(*)"
                + " from positions where 1 = 1");
        filter.appendTo(sql)
                // one more than allowed tells that there are too many without counting them all
                .append(" group by cx, cy order by cx, cy limit ?");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            select.setInt(1, cell);
            select.setInt(2, cell);
            select.setInt(filter.bind(select, 3), maxCells + 1);
            List<Heatmap.Cell> cells = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    cells.add(new Heatmap.Cell(result.getLong(1), result.getLong(2), result.getLong(3)));
                }
            }
            if (cells.size() > maxCells) {
                throw new TooManyCellsException("more than " + maxCells + " cells of size " + cell
                        + " hold positions in this range; choose a larger 'cell' or a shorter range");
            }
            return new Heatmap(cell, cells);
        } catch (SQLException e) {
            throw new IllegalStateException("The heatmap could not be read", e);
        }
    }
}
