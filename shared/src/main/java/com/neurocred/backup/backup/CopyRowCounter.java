package com.neurocred.backup.backup;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the rows of every table in a plain-format pg_dump as the stream passes, at no extra cost to
 * the database. A table's data is the {@code COPY ... FROM stdin;} block that follows pg_dump's
 * {@code -- Data for Name: ...; Type: TABLE DATA;} comment; each line up to {@code \.} is one row (the
 * COPY text format escapes newlines inside values). Requiring the comment keeps a line in a function
 * body that happens to look like COPY from being taken for data.
 */
public final class CopyRowCounter {
    private static final String DATA_COMMENT = "-- Data for Name: ";
    private static final String TABLE_DATA = "; Type: TABLE DATA;";
    private static final String FOOTER = "-- PostgreSQL database dump complete";
    private static final String COPY_END = " FROM stdin;";
    /** A COPY header can list 1,600 columns of 63-byte names; anything longer is no header. */
    private static final int MAX_HEADER_LINE = 256 * 1024;

    private final Map<String, Long> rows = new LinkedHashMap<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean lineTooLong;
    private boolean tableDataAnnounced;
    private boolean footerSeen;
    private String copyTable;
    private long copyRows;
    private int copyLineLength;
    private boolean copyLineMaybeEnd;

    /** Feeds the next bytes of the dump. */
    public void update(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (copyTable != null) {
                i = scanCopyData(b, i, end);
            } else {
                acceptSqlByte(b[i]);
            }
        }
    }

    /** Scans data rows from i; returns the index of the last byte consumed. */
    private int scanCopyData(byte[] b, int i, int end) {
        for (; i < end; i++) {
            byte c = b[i];
            if (c == '\n') {
                if (copyLineMaybeEnd && copyLineLength == 2) {
                    rows.merge(copyTable, copyRows, Long::sum);
                    copyTable = null;
                } else {
                    copyRows++;
                }
                copyLineLength = 0;
                copyLineMaybeEnd = false;
                if (copyTable == null) {
                    return i;
                }
            } else {
                copyLineLength++;
                if (copyLineLength == 1) {
                    copyLineMaybeEnd = c == '\\';
                } else if (copyLineLength == 2) {
                    copyLineMaybeEnd &= c == '.';
                }
            }
        }
        return end - 1;
    }

    private void acceptSqlByte(byte c) {
        if (c != '\n') {
            if (line.size() < MAX_HEADER_LINE) {
                line.write(c);
            } else {
                lineTooLong = true;
            }
            return;
        }
        if (!lineTooLong) {
            acceptSqlLine(line.toString(StandardCharsets.UTF_8));
        }
        line.reset();
        lineTooLong = false;
    }

    private void acceptSqlLine(String text) {
        if (text.startsWith(DATA_COMMENT)) {
            tableDataAnnounced = text.contains(TABLE_DATA);
        } else if (tableDataAnnounced && text.startsWith("COPY ") && text.endsWith(COPY_END)) {
            copyTable = tableName(text);
            copyRows = 0;
            rows.putIfAbsent(copyTable, 0L);
            tableDataAnnounced = false;
        } else if (text.equals(FOOTER)) {
            footerSeen = true;
        }
    }

    /** The schema-qualified name in {@code COPY name (cols) FROM stdin;}, quotes kept as pg_dump wrote them. */
    static String tableName(String copyLine) {
        int i = "COPY ".length();
        boolean quoted = false;
        StringBuilder name = new StringBuilder();
        for (; i < copyLine.length(); i++) {
            char c = copyLine.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                break;
            }
            name.append(c);
        }
        return name.toString();
    }

    /** Rows per table in dump order; tables with no rows are listed with 0. */
    public Map<String, Long> rowsByTable() {
        return rows;
    }

    /** Whether pg_dump's closing comment was seen: without it the dump is cut short. */
    public boolean footerSeen() {
        return footerSeen;
    }

    /** Whether the stream ended inside a COPY block. */
    public boolean insideCopy() {
        return copyTable != null;
    }
}
