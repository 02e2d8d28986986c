package dev.posflow.store.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an {@code ON DUPLICATE KEY UPDATE} names the row it tried to insert, per engine. The statements are written in
 * the form both engines know, {@code values(col)}; MySQL deprecated that function in 8.0.20 (a warning on every
 * statement, and removal announced) in favour of a row alias ({@code values (...) as new ... new.col}, since 8.0.19),
 * which MariaDB does not parse. So on MySQL 8.0.19 and later the statement is rewritten to the alias form, decided by
 * the server version the driver already holds for the connection (no round trip).
 */
final class InsertedRow {

    private static final Pattern VALUES_FUNCTION = Pattern.compile("values\\((\\w+)\\)");
    private static final Pattern ON_DUPLICATE = Pattern.compile(" on duplicate key update ");
    private static final Pattern MYSQL_VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Map<String, String> ALIASED = new ConcurrentHashMap<>();

    private InsertedRow() {
    }

    /** The statement (written with {@code values(col)}) in the form the connection's server wants. */
    static String sql(Connection connection, String statement) throws SQLException {
        return hasRowAlias(connection.getMetaData().getDatabaseProductVersion())
                ? ALIASED.computeIfAbsent(statement, InsertedRow::aliased)
                : statement;
    }

    /** MariaDB reports itself as "5.5.5-10.11.6-MariaDB" or "11.4.5-MariaDB"; MySQL as "8.0.31". */
    static boolean hasRowAlias(String serverVersion) {
        if (serverVersion.contains("MariaDB")) {
            return false;
        }
        Matcher version = MYSQL_VERSION.matcher(serverVersion);
        if (!version.find()) {
            return false;
        }
        int major = Integer.parseInt(version.group(1));
        int minor = Integer.parseInt(version.group(2));
        int patch = Integer.parseInt(version.group(3));
        return major > 8 || major == 8 && (minor > 0 || patch >= 19);
    }

    static String aliased(String statement) {
        String withAlias = ON_DUPLICATE.matcher(statement).replaceFirst(" as new on duplicate key update ");
        return VALUES_FUNCTION.matcher(withAlias).replaceAll("new.$1");
    }
}
