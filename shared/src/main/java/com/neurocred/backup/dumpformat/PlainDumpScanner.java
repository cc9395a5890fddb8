package com.neurocred.backup.dumpformat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a plain-format pg_dump as it streams past, once, and learns what a backup and its
 * verification need: the rows of every table, whether the dump is whole, and whether psql could be
 * made to run anything but SQL by it.
 *
 * <p>The SQL is followed by a {@link PsqlLexer}, so quoted text, bodies and comments are told from code
 * exactly where psql tells them. psql takes a backslash in code for a meta-command ({@code \!} runs a
 * shell), so a dump may hold only what pg_dump itself writes: {@code \restrict KEY} before its first
 * statement, <code>&#92;unrestrict KEY</code> with the same key after its last, and {@code \.} ending COPY data.
 * Anything else is refused with its line number ({@link #refusal()}). A table's data is the block after
 * pg_dump's {@code COPY table (columns) FROM stdin;} line, up to a line {@code \.} (psql also ends it
 * at {@code \.\r}); each line is one row. A COPY in any other form is refused too: psql would read the
 * lines after it as data where this scanner reads SQL.
 *
 * <p>psql lexes each line under the server's current {@code standard_conforming_strings} and
 * {@code client_encoding}, and this scanner under pg_dump's own (on, and an encoding in which no byte of a
 * character looks like a quote). So a line that names either setting must be pg_dump's own {@code SET} line,
 * or it is refused at its end, before any line psql would lex under the new setting. A change made out of
 * sight of the text (a function, a name built at run time) is not caught here: the restore's own
 * {@code \restrict} key is the lock that holds then (PsqlRestoreLockIT).
 *
 * <p>Given a sink ({@link #forwardingTo}), the scanner also passes the dump on to psql as it checks it,
 * and never passes a backslash psql would run: pg_dump's own {@code \restrict}/<code>&#92;unrestrict</code> lines
 * become empty lines (the restore locks psql with a key of its own), and everything from a refused
 * backslash on is held back, so psql never sees it even if it is then given end of input.
 */
public final class PlainDumpScanner implements StreamInspector {
    private static final String HEADER = "-- PostgreSQL database dump";
    private static final String FOOTER = "-- PostgreSQL database dump complete";
    private static final String COPY_START = "COPY ";
    private static final String COPY_END = " FROM stdin;";
    private static final Pattern RESTRICT = Pattern.compile("\\\\(un)?restrict ([A-Za-z0-9]+)\r?");
    private static final int HEADER_WITHIN_LINES = 10;
    /** A COPY header can list 1,600 columns of 63-byte names; anything longer is no header. */
    private static final int MAX_HEADER_LINE = 256 * 1024;
    /** pg_dump's \restrict lines are about 80 bytes; a longer backslash line is refused without keeping it. */
    private static final int MAX_META_LINE = 1024;
    private static final byte[] EMPTY_LINE = {'\n'};
    /** The settings psql's lexer follows; named in SQL, they may only be set as pg_dump sets them. */
    private static final List<String> LEXER_SETTINGS = List.of("standard_conforming_strings", "client_encoding");
    /**
     * pg_dump's header lines for them. The encodings are the server encodings: in the client-only ones (SJIS,
     * BIG5, GBK, UHC, GB18030, JOHAB) a character's second byte can be a quote or a backslash.
     */
    private static final Pattern PG_DUMP_SETTING = Pattern.compile("(?:SET standard_conforming_strings = on;"
            + "|SET client_encoding = '(UTF8|SQL_ASCII|LATIN([1-9]|10)|WIN(866|874|125[0-8])|KOI8[RU]|ISO_8859_[5-8]"
            + "|EUC_(JP|CN|KR|TW|JIS_2004)|MULE_INTERNAL)';)\r?");
    private static final int SETTING_NAME_MAX = 27;

    private final Map<String, Long> rows = new LinkedHashMap<>();
    private final PsqlLexer lexer = new PsqlLexer();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final OutputStream forward;
    private boolean lineTooLong;
    private boolean lineStartedOutsideQuotes = true;
    private boolean bufferEmptyAtLineStart = true;
    private long lineNumber = 1;
    private boolean headerSeen;
    private boolean footerSeen;
    private boolean statementSeen;
    private int copyTokensOnLine;
    private String copyTable;
    private long copyRows;
    private int copyLineLength;
    private boolean copyLineMaybeEnd;

    private boolean holdingMetaLine;
    private int metaColumn = -1;
    private String restrictKey;
    private long restrictLine;
    private long unrestrictLine;
    private String refusal;
    private long refusalLine;
    private boolean blocked;
    private final StringBuilder recentSql = new StringBuilder(SETTING_NAME_MAX);
    private String settingOnLine;

    public PlainDumpScanner() {
        this(null);
    }

    private PlainDumpScanner(OutputStream forward) {
        this.forward = forward;
    }

    /** A scanner that also writes what it has checked to psql's input (see the class comment). */
    public static PlainDumpScanner forwardingTo(OutputStream psqlInput) {
        return new PlainDumpScanner(psqlInput);
    }

    /** Feeds the next bytes of the dump (and forwards what passed the checks). */
    @Override
    public void update(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int pending = off;
        for (int i = off; i < end; i++) {
            if (copyTable != null) {
                i = scanCopyData(b, i, end);
                continue;
            }
            boolean wasBlocked = blocked;
            Held held = acceptSqlByte(b[i]);
            if (held == Held.RELEASED) {
                // A held line is never passed on as it is (judgeMetaLine wrote its replacement, if any).
                pending = i + 1;
            } else if (held == Held.START || blocked && !wasBlocked) {
                // What came before the held or refused byte is checked; the byte itself is not passed on.
                flush(b, pending, i, wasBlocked);
                pending = i;
            }
        }
        if (!holdingMetaLine) {
            flush(b, pending, end, blocked);
        }
    }

    /** Ends the stream: a backslash line without a final newline is judged now. */
    public void finish() {
        // As at a line end, a line cut at its limit is judged as unknown: its start alone proves nothing.
        String text = lineTooLong ? null : line.toString(StandardCharsets.UTF_8);
        if (holdingMetaLine) {
            judgeMetaLine(text);
        } else if (metaColumn >= 0) {
            refuseMetaCommand(text);
        } else {
            checkLexerSetting(text);
        }
    }

    private enum Held { NO, START, RELEASED }

    private void flush(byte[] b, int from, int to, boolean refused) throws IOException {
        if (forward != null && !refused) {
            forward.write(b, from, to - from);
        }
    }

    /** Scans data rows from i; returns the index of the last byte consumed. */
    private int scanCopyData(byte[] b, int i, int end) {
        for (; i < end; i++) {
            byte c = b[i];
            if (c == '\n') {
                lineNumber++;
                // copyLineMaybeEnd holds only for a line that starts "\\." and, if it has a third byte, has "\r" there.
                boolean endMarker = copyLineMaybeEnd && (copyLineLength == 2 || copyLineLength == 3);
                if (endMarker) {
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
                } else if (copyLineLength == 3) {
                    copyLineMaybeEnd &= c == '\r';
                }
            }
        }
        return end - 1;
    }

    private Held acceptSqlByte(byte c) throws IOException {
        boolean atLineStart = line.size() == 0 && !lineTooLong;
        lexer.accept(c);
        statementSeen |= lexer.terminated() || !lexer.psqlBufferEmpty();
        if (unrestrictLine > 0 && (lexer.terminated() || !lexer.psqlBufferEmpty())) {
            refuse("SQL after pg_dump's closing \\unrestrict at line " + unrestrictLine);
        }
        noteSettingName(c);
        if (lexer.copyToken()) {
            copyTokensOnLine++;
        }
        if (lexer.ambiguous()) {
            refuse("a $ or E' right after a number, or an E'' string continued on a later line, which psql versions "
                    + "and the server read differently (pg_dump never writes it)");
        }
        Held held = Held.NO;
        if (lexer.codeBackslash()) {
            if (atLineStart) {
                holdingMetaLine = true;
                held = Held.START;
            } else if (!holdingMetaLine && metaColumn < 0) {
                metaColumn = line.size();
                block();
            }
        }
        if (c != '\n') {
            if (line.size() < (holdingMetaLine ? MAX_META_LINE : MAX_HEADER_LINE)) {
                line.write(c);
            } else {
                lineTooLong = true;
            }
        } else {
            endSqlLine();
            if (holdingMetaLine) {
                holdingMetaLine = false;
                held = Held.RELEASED;
            }
        }
        return held;
    }

    private void endSqlLine() throws IOException {
        String text = lineTooLong ? null : line.toString(StandardCharsets.UTF_8);
        if (holdingMetaLine) {
            judgeMetaLine(text);
        } else if (metaColumn >= 0) {
            refuseMetaCommand(text);
        } else if (text != null && lineStartedOutsideQuotes) {
            acceptSqlLine(text);
        }
        checkLexerSetting(text);
        checkCopyStatement(text);
        lineNumber++;
        line.reset();
        lineTooLong = false;
        lineStartedOutsideQuotes = lexer.isOutsideQuotes();
        bufferEmptyAtLineStart = lexer.psqlBufferEmpty();
        copyTokensOnLine = 0;
    }

    /** Watches the SQL bytes, whatever the line's length, for the name of a setting psql's lexer follows. */
    private void noteSettingName(byte c) {
        if (recentSql.length() == SETTING_NAME_MAX) {
            recentSql.deleteCharAt(0);
        }
        recentSql.append((char) Character.toLowerCase(c & 0xFF));
        if (settingOnLine != null) {
            return;
        }
        // Only a name ending at this byte is new; one ending earlier was noted at its own last byte.
        for (String name : LEXER_SETTINGS) {
            int start = recentSql.length() - name.length();
            if (start >= 0 && recentSql.indexOf(name, start) == start) {
                settingOnLine = name;
            }
        }
    }

    /** At the end of a line that named such a setting: pg_dump's own SET line, or refused before the next line. */
    private void checkLexerSetting(String text) {
        if (settingOnLine != null && (text == null || !PG_DUMP_SETTING.matcher(text).matches())) {
            refuse("SQL naming " + settingOnLine + " other than pg_dump's own SET line (psql would read the lines "
                    + "after it differently from this check)");
        }
        // recentSql carries on: the line feed in it keeps a name from spanning two lines.
        settingOnLine = null;
    }

    private void acceptSqlLine(String text) {
        if (text.equals(HEADER) && lineNumber <= HEADER_WITHIN_LINES) {
            headerSeen = true;
        } else if (text.equals(FOOTER)) {
            footerSeen = true;
        }
    }

    /**
     * COPY data starts after the line whose statement is COPY ... FROM stdin. Only pg_dump's form is
     * followed (the statement alone on its line); in any other form the lines after it could be data to
     * psql and SQL to this scanner, so it is refused.
     */
    private void checkCopyStatement(String text) {
        if (copyTokensOnLine == 0) {
            return;
        }
        boolean pgDumpForm = copyTokensOnLine == 1 && bufferEmptyAtLineStart && lineStartedOutsideQuotes && text != null
                && text.startsWith(COPY_START) && text.endsWith(COPY_END) && lexer.psqlBufferEmpty()
                && lexer.isOutsideQuotes();
        if (!pgDumpForm) {
            refuse("a COPY statement not in the form pg_dump writes (COPY table (columns) FROM stdin; on a line of "
                    + "its own), so psql could read what follows as data");
            return;
        }
        copyTable = tableName(text);
        copyRows = 0;
        rows.putIfAbsent(copyTable, 0L);
    }

    /** A line that starts with a backslash: pg_dump's restrict or unrestrict line, in their places, or refused. */
    private void judgeMetaLine(String text) {
        Matcher m = text == null ? null : RESTRICT.matcher(text);
        if (m == null || !m.matches()) {
            metaColumn = 0;
            refuseMetaCommand(text);
            return;
        }
        boolean opening = m.group(1) == null;
        String key = m.group(2);
        if (opening && (statementSeen || restrictKey != null)) {
            refuse("\\restrict after the dump's first statement (pg_dump writes it before any SQL)");
        } else if (!opening && restrictKey == null) {
            refuse("\\unrestrict without an opening \\restrict");
        } else if (!opening && (!restrictKey.equals(key) || unrestrictLine > 0)) {
            refuse("\\unrestrict whose key differs from the \\restrict at line " + restrictLine);
        } else if (opening) {
            restrictKey = key;
            restrictLine = lineNumber;
        } else {
            unrestrictLine = lineNumber;
        }
        if (refusal == null && forward != null) {
            // psql is locked with a key of the restore's own; the dump's key, printed in the dump, protects nothing.
            try {
                forward.write(EMPTY_LINE);
            } catch (IOException e) {
                block();
            }
        }
    }

    private void refuseMetaCommand(String text) {
        String command = "\\";
        if (text != null) {
            // metaColumn counts bytes, and the line before the backslash may hold multi-byte characters.
            byte[] bytes = line.toByteArray();
            String rest = new String(bytes, metaColumn, bytes.length - metaColumn, StandardCharsets.UTF_8);
            command = rest.split("[\\s]", 2)[0];
            if (command.length() > 20) {
                command = command.substring(0, 20) + "…";
            }
        }
        metaColumn = -1;
        refuse("psql meta-command " + command, unrestrictLine > 0 ? ", after the \\unrestrict of line " + unrestrictLine
                + " that ends pg_dump's dumps" : "");
    }

    private void refuse(String what) {
        refuse(what, "");
    }

    private void refuse(String what, String context) {
        block();
        if (refusal == null) {
            refusal = what + " at line " + lineNumber + context;
            refusalLine = lineNumber;
        }
    }

    /** Nothing more reaches psql once anything was refused. */
    private void block() {
        blocked = true;
    }

    /** The schema-qualified name in {@code COPY name (cols) FROM stdin;}, quotes kept as pg_dump wrote them. */
    static String tableName(String copyLine) {
        boolean quoted = false;
        StringBuilder name = new StringBuilder();
        for (int i = COPY_START.length(); i < copyLine.length(); i++) {
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
        return lexer.openConstruct();
    }

    /**
     * The first thing in the dump that psql could run other than SQL, or that pg_dump never writes, with
     * its line number: "psql meta-command \! at line 12". Nothing after it reached the forwarding sink.
     */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** The line of {@link #refusal()}, or 0. */
    public long refusalLine() {
        return refusalLine;
    }

    /** Whether pg_dump's \restrict line was seen without its closing unrestrict line. */
    public boolean restrictUnclosed() {
        return restrictKey != null && unrestrictLine == 0;
    }
}
