package com.neurocred.backup.catalog;

/**
 * Compares table names however they are written: {@code customers}, {@code public.customers}, {@code credit."Score History"}
 * as pg_dump writes them; the result is the catalog's {@code schema.name}, so manifest names can also be looked
 * up in {@code pg_class}.
 */
public final class TableNames {
    private TableNames() {
    }

    /** schema.name without quotes; a bare name is in public. */
    public static String normalize(String qualified) {
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
