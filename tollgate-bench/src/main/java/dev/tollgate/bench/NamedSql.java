package dev.tollgate.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A statement written with {@code :name} parameters, as Tollgate's stores write them, prepared for plain
 * JDBC. It lets the raw baseline carry Tollgate's SQL text verbatim, so that the two stay comparable.
 */
final class NamedSql {

    private final String sql;
    private final List<String> names;

    private NamedSql(String sql, List<String> names) {
        this.sql = sql;
        this.names = List.copyOf(names);
    }

    /**
     * Replaces each {@code :name} with {@code ?}, outside string literals and {@code --} comments and
     * leaving {@code ::} casts alone, and remembers the names in order (a name used twice is bound twice).
     * A comment is kept as written: the server's {@code .sql} files explain themselves in comments, whose
     * words ("at :now", "module's") are neither parameters nor quotes.
     */
    static NamedSql parse(String named) {
        var sql = new StringBuilder(named.length());
        var names = new ArrayList<String>();
        boolean quoted = false;
        for (int i = 0; i < named.length(); i++) {
            char c = named.charAt(i);
            if (!quoted && c == '-' && named.startsWith("--", i)) {
                int end = named.indexOf('\n', i);
                end = end < 0 ? named.length() : end;
                sql.append(named, i, end);
                i = end - 1;
                continue;
            }
            if (c == '\'') {
                quoted = !quoted;
            }
            if (!quoted && c == ':' && i + 1 < named.length() && named.charAt(i + 1) == ':') {
                sql.append("::");
                i++;
                continue;
            }
            if (!quoted && c == ':' && i + 1 < named.length() && Character.isJavaIdentifierStart(named.charAt(i + 1))) {
                int end = i + 1;
                while (end < named.length() && Character.isJavaIdentifierPart(named.charAt(end))) {
                    end++;
                }
                names.add(named.substring(i + 1, end));
                sql.append('?');
                i = end - 1;
                continue;
            }
            sql.append(c);
        }
        return new NamedSql(sql.toString(), names);
    }

    String sql() {
        return sql;
    }

    List<String> names() {
        return names;
    }

    PreparedStatement prepare(Connection connection) throws SQLException {
        return connection.prepareStatement(sql);
    }

    /** Binds every parameter by name; a name without a value is a mistake in the caller, not a NULL. */
    PreparedStatement bind(PreparedStatement statement, Map<String, ?> values) throws SQLException {
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("no value for :" + name);
            }
            statement.setObject(i + 1, values.get(name));
        }
        return statement;
    }
}
