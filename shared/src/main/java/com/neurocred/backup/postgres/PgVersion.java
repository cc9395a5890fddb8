package com.neurocred.backup.postgres;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A PostgreSQL version as tools print it ({@code 15.18}) with its major number. */
public record PgVersion(int major, String text) implements Comparable<PgVersion> {
    private static final Pattern TOOL_VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(\\.\\d+)?(\\S*)");

    /** Parses the output of {@code pg_dump --version} and friends. */
    public static PgVersion fromToolOutput(String output) {
        Matcher m = TOOL_VERSION.matcher(output);
        if (!m.find()) {
            throw new IllegalArgumentException("not a PostgreSQL tool version: " + output.strip());
        }
        return new PgVersion(Integer.parseInt(m.group(1)), m.group(1) + (m.group(2) == null ? "" : m.group(2)) + m.group(3));
    }

    /** From {@code server_version_num} (150018) and {@code server_version} ("15.18 (Debian ...)"). */
    public static PgVersion fromServer(int versionNum, String versionText) {
        // 150018 is 15.18; before 10, 90624 was 9.6.24, and 9 orders it correctly below 10.
        int major = versionNum / 10000;
        String text = versionText == null ? String.valueOf(versionNum) : versionText.split("\\s")[0];
        return new PgVersion(major, text);
    }

    @Override
    public int compareTo(PgVersion o) {
        return Integer.compare(major, o.major);
    }

    @Override
    public String toString() {
        return text;
    }
}
