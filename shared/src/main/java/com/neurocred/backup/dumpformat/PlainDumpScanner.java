package com.neurocred.backup.dumpformat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a plain-format pg_dump as it streams past, once, and learns what a backup and its
 * verification need: the rows of every table, and whether the dump is whole.
 *
 * <p>A table's data is the {@code COPY ... FROM stdin;} block that follows pg_dump's
 * {@code -- Data for Name: ...; Type: TABLE DATA;} comment, outside any quoted text; each line up to
 * {@code \.} is one row (the COPY text format escapes newlines inside values). The SQL between the
 * blocks is followed by a {@link SqlQuoteTracker}, so a line inside a function body that looks like
 * COPY is never taken for data, and a dump cut inside a string or body is noticed.
 */
public final class PlainDumpScanner implements StreamInspector {
    private static final String HEADER = "-- PostgreSQL database dump";
    private static final String DATA_COMMENT = "-- Data for Name: ";
    private static final String TABLE_DATA = "; Type: TABLE DATA;";
    private static final String FOOTER = "-- PostgreSQL database dump complete";
    private static final String COPY_END = " FROM stdin;";
    private static final int HEADER_WITHIN_LINES = 10;
    /** A COPY header can list 1,600 columns of 63-byte names; anything longer is no header. */
    private static final int MAX_HEADER_LINE = 256 * 1024;

    private final Map<String, Long> rows = new LinkedHashMap<>();
    private final SqlQuoteTracker quotes = new SqlQuoteTracker();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean lineTooLong;
    private boolean lineStartedOutsideQuotes = true;
    private long sqlLines;
    private boolean headerSeen;
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
        quotes.accept(c);
        if (c != '\n') {
            if (line.size() < MAX_HEADER_LINE) {
                line.write(c);
            } else {
                lineTooLong = true;
            }
            return;
        }
        if (!lineTooLong && lineStartedOutsideQuotes) {
            acceptSqlLine(line.toString(StandardCharsets.UTF_8));
        }
        sqlLines++;
        line.reset();
        lineTooLong = false;
        lineStartedOutsideQuotes = quotes.isOutsideQuotes();
    }

    private void acceptSqlLine(String text) {
        if (text.equals(HEADER) && sqlLines < HEADER_WITHIN_LINES) {
            headerSeen = true;
        } else if (text.startsWith(DATA_COMMENT)) {
            tableDataAnnounced = text.contains(TABLE_DATA);
        } else if (tableDataAnnounced && text.startsWith("COPY ") && text.endsWith(COPY_END) && quotes.isOutsideQuotes()) {
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
        boolean quoted = false;
        StringBuilder name = new StringBuilder();
        for (int i = "COPY ".length(); i < copyLine.length(); i++) {
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

    /** Whether pg_dump's opening comment was seen at the top. */
    public boolean headerSeen() {
        return headerSeen;
    }

    /** Whether pg_dump's closing comment was seen: without it the dump is cut short. */
    public boolean footerSeen() {
        return footerSeen;
    }

    /** Whether the stream ended inside a COPY block (its {@code \.} never came). */
    public boolean insideCopy() {
        return copyTable != null;
    }

    /** The table whose COPY block is still open at the end, or null. */
    public String openCopyTable() {
        return copyTable;
    }

    /** What the SQL text is left inside at the end (an unclosed string, body, comment), or null when balanced. */
    public String unbalancedQuoting() {
        return quotes.openConstruct();
    }
}
