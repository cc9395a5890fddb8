package com.neurocred.backup.globals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code name=value} entry of {@code pg_db_role_setting.setconfig} (a role's or a database's setting),
 * turned back into the value part of {@code SET name TO …} the way pg_dumpall's makeAlterConfigCommand
 * does: list-valued parameters, which the server stored already quoted, are split into their elements and
 * each becomes a literal of its own; any other value is one literal.
 */
public record GucSetting(String name, String value) {
    /** The parameters PostgreSQL marks GUC_LIST_QUOTE (pg_dump's variable_is_guc_list_quote). */
    private static final Set<String> LIST_QUOTED = Set.of("local_preload_libraries", "search_path",
            "session_preload_libraries", "shared_preload_libraries", "temp_tablespaces", "unix_socket_directories");

    /**
     * Parses {@code name=value} and validates the name.
     *
     * @throws IllegalArgumentException for an entry without {@code =} or with a name no parameter has
     */
    public static GucSetting parse(String entry) {
        int eq = entry == null ? -1 : entry.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("the manifest's setting " + SqlQuoting.printable(String.valueOf(entry))
                    + " is not name=value");
        }
        return new GucSetting(ManifestNames.guc(entry.substring(0, eq)), entry.substring(eq + 1));
    }

    public boolean listQuoted() {
        return LIST_QUOTED.contains(name.toLowerCase(Locale.ROOT));
    }

    /** {@code "name" TO 'a', 'b'}: what follows {@code SET} in ALTER ROLE / ALTER DATABASE. */
    public String toSql(SqlQuoting q) {
        return q.ident(name) + " TO " + valueSql(q);
    }

    String valueSql(SqlQuoting q) {
        if (!listQuoted()) {
            return q.literal(value);
        }
        List<String> elements = splitList(value).orElseThrow(() -> new IllegalArgumentException("the manifest's value of "
                + name + " is not a list as PostgreSQL stores it (unbalanced double quotes)"));
        if (elements.isEmpty()) {
            // An empty list, as SET search_path TO '' stores it.
            return q.literal("");
        }
        return String.join(", ", elements.stream().map(q::literal).toList());
    }

    /**
     * Splits a stored list value the way pg_dump's SplitGUCList does: elements separated by commas, whitespace
     * around them ignored, a double-quoted element taken without its quotes (a doubled quote inside stands for
     * one). Empty for malformed input (a quote never closed, an empty unquoted element).
     */
    static Optional<List<String>> splitList(String raw) {
        List<String> out = new ArrayList<>();
        int i = skipSpace(raw, 0);
        if (i == raw.length()) {
            return Optional.of(out);
        }
        while (true) {
            if (i == raw.length()) {
                return Optional.empty();
            }
            StringBuilder element = new StringBuilder();
            if (raw.charAt(i) == '"') {
                i++;
                while (true) {
                    int close = raw.indexOf('"', i);
                    if (close < 0) {
                        return Optional.empty();
                    }
                    element.append(raw, i, close);
                    if (close + 1 < raw.length() && raw.charAt(close + 1) == '"') {
                        element.append('"');
                        i = close + 2;
                    } else {
                        i = close + 1;
                        break;
                    }
                }
            } else {
                int start = i;
                while (i < raw.length() && raw.charAt(i) != ',' && !Character.isWhitespace(raw.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    return Optional.empty();
                }
                element.append(raw, start, i);
            }
            out.add(element.toString());
            i = skipSpace(raw, i);
            if (i == raw.length()) {
                return Optional.of(out);
            }
            if (raw.charAt(i) != ',') {
                return Optional.empty();
            }
            i = skipSpace(raw, i + 1);
        }
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
