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

    /**
     * Whether psql of this version has {@code \restrict}, which locks out meta-commands (CVE-2025-8714,
     * fixed in 13.22, 14.19, 15.14, 16.10 and 17.6 and present in every later release).
     */
    public boolean hasPsqlRestrict() {
        if (major >= 18) {
            return true;
        }
        int firstFixedMinor = switch (major) {
            case 17 -> 6;
            case 16 -> 10;
            case 15 -> 14;
            case 14 -> 19;
            case 13 -> 22;
            default -> Integer.MAX_VALUE;
        };
        return minor() >= firstFixedMinor;
    }

    /** The number after the major one ("15.18" → 18); 0 for pre-releases such as "17beta1". */
    int minor() {
        Matcher m = MINOR.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static final Pattern MINOR = Pattern.compile("^\\d+\\.(\\d+)");

    @Override
    public int compareTo(PgVersion o) {
        return Integer.compare(major, o.major);
    }

    @Override
    public String toString() {
        return text;
    }
}
