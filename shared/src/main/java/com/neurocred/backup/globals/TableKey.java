package com.neurocred.backup.globals;

/**
 * The catalog's {@code schema.name} (no quotes) of a table name as pg_dump writes it
 * ({@code credit."Score History"}), so manifest names can be looked up in {@code pg_class}.
 */
public final class TableKey {
    private TableKey() {
    }

    public static String of(String qualified) {
        StringBuilder schema = new StringBuilder();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean sawDot = false;
        for (int i = 0; i < qualified.length(); i++) {
            char c = qualified.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < qualified.length() && qualified.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == '.' && !quoted && !sawDot) {
                schema.append(current);
                current.setLength(0);
                sawDot = true;
            } else {
                current.append(quoted ? c : Character.toLowerCase(c));
            }
        }
        return (sawDot ? schema.toString() : "public") + "." + current;
    }
}
