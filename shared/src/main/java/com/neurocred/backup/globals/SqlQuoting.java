package com.neurocred.backup.globals;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Utils;

/**
 * Quotes names and values read back from a manifest for the SQL of one connection, with PgJDBC's own
 * escaping: every name becomes a double-quoted identifier, every value a single-quoted literal escaped for
 * the connection's {@code standard_conforming_strings}. Nothing read from storage reaches SQL otherwise.
 */
public final class SqlQuoting {
    private final boolean standardConformingStrings;

    SqlQuoting(boolean standardConformingStrings) {
        this.standardConformingStrings = standardConformingStrings;
    }

    public static SqlQuoting of(Connection connection) throws SQLException {
        return new SqlQuoting(connection.unwrap(BaseConnection.class).getStandardConformingStrings());
    }

    /** {@code "name"}, embedded double quotes doubled. */
    public String ident(String name) {
        try {
            return Utils.escapeIdentifier(null, name).toString();
        } catch (SQLException e) {
            throw new IllegalArgumentException("the name " + printable(name) + " cannot be quoted: " + e.getMessage(), e);
        }
    }

    /** {@code 'value'}, embedded quotes (and backslashes, where the server treats them as escapes) doubled. */
    public String literal(String value) {
        try {
            return "'" + Utils.escapeLiteral(null, value, standardConformingStrings) + "'";
        } catch (SQLException e) {
            throw new IllegalArgumentException("a value cannot be quoted: " + e.getMessage(), e);
        }
    }

    /** A name for a message: quoted Java-style, control characters shown as escapes. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder("\"");
        name.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
