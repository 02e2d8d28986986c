package dev.posflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    private static final UtcMicrosConverter TIME = new UtcMicrosConverter();

    private final DataSource dataSource;

    HeatmapReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @throws TooManyCellsException beyond {@code maxCells} non-empty cells: the caller must choose larger cells */
    public Heatmap count(Optional<String> source, Optional<Instant> from, Optional<Instant> to, int cell,
            int maxCells) {
        StringBuilder sql = new StringBuilder("select floor(x / ?) as cx, floor(y / ?) as cy, count(*)"
                + " from positions where 1 = 1");
        List<Object> parameters = new ArrayList<>(List.of(cell, cell));
        source.ifPresent(s -> {
            sql.append(" and source = ?");
            parameters.add(s);
        });
        from.ifPresent(f -> {
            sql.append(" and sampled_at >= ?");
            parameters.add(TIME.convertToDatabaseColumn(f));
        });
        to.ifPresent(t -> {
            sql.append(" and sampled_at < ?");
            parameters.add(TIME.convertToDatabaseColumn(t));
        });
        // one more than allowed tells that there are too many without counting them all
        sql.append(" group by cx, cy order by cx, cy limit ?");
        parameters.add(maxCells + 1);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
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
