package dev.posflow.store.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/** The change sets DATABASECHANGELOG records, read over JDBC. */
final class AppliedChangeSets {

    // the table's name comes from configuration and goes into SQL text: only a plain identifier
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,63}");

    private AppliedChangeSets() {
    }

    static boolean canRead(String table) {
        return PLAIN_NAME.matcher(table).matches();
    }

    /**
     * Empty when the table cannot be read, e.g. on an empty database or while the server is away: then Liquibase runs,
     * creates the table or reports the failure, as it did before this check existed.
     */
    static Optional<Set<ChangeSetId>> read(DataSource dataSource, String table) {
        if (!canRead(table)) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection();
                Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("select id, author, filename from `" + table + "`")) {
            Set<ChangeSetId> applied = new HashSet<>();
            while (rows.next()) {
                applied.add(new ChangeSetId(rows.getString(1), rows.getString(2), rows.getString(3)));
            }
            return Optional.of(applied);
        } catch (SQLException e) {
            return Optional.empty();
        }
    }
}
