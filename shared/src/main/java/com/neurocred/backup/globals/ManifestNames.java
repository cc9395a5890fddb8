package com.neurocred.backup.globals;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Checks the names a manifest carries before they are used: a manifest is data read back from storage,
 * and a name that PostgreSQL itself could not have produced means it was altered.
 */
public final class ManifestNames {
    /** NAMEDATALEN - 1: the longest name PostgreSQL stores. */
    public static final int MAX_NAME_BYTES = 63;
    private static final Pattern GUC_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final Pattern ENCODING = Pattern.compile("[A-Za-z0-9_]{1,32}");

    private ManifestNames() {
    }

    /**
     * A role name as PostgreSQL stores it: 1 to 63 bytes of UTF-8, no NUL and no other control character.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String role(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("the manifest holds an empty role name");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("the manifest's role name " + SqlQuoting.printable(name) + " is " + bytes
                    + " bytes long; PostgreSQL names have at most " + MAX_NAME_BYTES);
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("the manifest's role name " + SqlQuoting.printable(name)
                    + " holds a control character, which no PostgreSQL role name has");
        }
        return name;
    }

    /** Whether the role is one PostgreSQL defines itself ({@code pg_*}): never created, only granted. */
    public static boolean predefined(String role) {
        return role.startsWith("pg_");
    }

    /**
     * A configuration parameter's name: {@code [A-Za-z_][A-Za-z0-9_.]*}, at most 63 bytes.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String guc(String name) {
        if (name == null || !GUC_NAME.matcher(name).matches() || name.length() > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("the manifest's setting name " + SqlQuoting.printable(String.valueOf(name))
                    + " is not a configuration parameter name ([A-Za-z_][A-Za-z0-9_.]*)");
        }
        return name;
    }

    /** An encoding name such as {@code UTF8}. */
    public static String encoding(String name) {
        if (name == null || !ENCODING.matcher(name).matches()) {
            throw new IllegalArgumentException("the manifest's encoding " + SqlQuoting.printable(String.valueOf(name))
                    + " is not an encoding name");
        }
        return name;
    }
}
