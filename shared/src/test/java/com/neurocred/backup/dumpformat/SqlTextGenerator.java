package com.neurocred.backup.dumpformat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Builds SQL text from pieces in every quoting form psql knows (E'' with backslash escapes, '' with doubled
 * quotes and continuations across a newline, U&'', $$ and $tag$ bodies, "" identifiers, -- and nested
 * block comments, BEGIN ATOMIC bodies, and optionally COPY ... FROM stdin data ending at \.), and puts
 * markers (meta-commands) both in code, where psql runs them, and inside quotes, where it must not. As it
 * builds the text, it knows which marker is which.
 */
final class SqlTextGenerator {
    private static final String DECOY = "\\echo DECOY";
    private static final String[] CODE = {"SELECT", "x", "42", "1.5", "(", ",", "+", "-", "/", "*", "=", "<>", ";", "a$b",
        "$1", "E", "N", "éa", "::int", "[1]", "%", "!"};
    private static final String[] ESCAPE_BODY = {"a", " ", "\\\\", "\\'", "''", "\\n", DECOY, ";", "$$", "\"", "--", "/*",
        "\n", "é", "\\x41"};
    private static final String[] PLAIN_BODY = {"a", " ", "\\", "''", DECOY, ";", "$$", "\"", "--", "/*", "\n", "é", "*/"};
    private static final String[] DOLLAR_BODY = {"a", " ", "'", "\"", DECOY, "--", "/*", ";", "\n", " $1 ", " $a ", "\\"};
    private static final String[] TAGS = {"$fn$", "$a1$", "$_$", "$é$", "$Z9$"};
    private static final String[] IDENTIFIER_BODY = {"a", " ", "\"\"", DECOY, "'", "$$", "--", "/*", ";", "\\"};
    private static final String[] LINE_COMMENT_BODY = {" ", "a", DECOY, "'", "\"", "/*", "$$", "*/", "\\"};
    private static final String[] BLOCK_COMMENT_BODY = {" ", "a", DECOY, "'", "\"", "$$", "--", "\n", "\\"};
    private static final String[] COPY_ROWS = {"1\tplain", "2\t\\\\! not a command", "3\t\\N", "\\! data, not a command",
        "4\tC:\\\\dir", "\\.x", "'", "$$", "/*"};

    /** The text, and the byte offset of each marker's backslash: those psql runs and those inside quotes. */
    record Text(String sql, List<Integer> codeMarkers, List<Integer> quotedMarkers, Map<String, Long> copyRows,
                List<Long> codeMarkerLines, List<Integer> markers) {
        /** For a failure message. */
        String describe(long seed) {
            return "seed " + seed + ", text:\n" + sql;
        }
    }

    private final Random random;
    private final IntFunction<String> marker;
    private final boolean copyBlocks;
    private final StringBuilder sql = new StringBuilder();
    private final List<Integer> codeMarkers = new ArrayList<>();
    /** Every marker's offset, by its number. */
    private final List<Integer> allMarkers = new ArrayList<>();
    private final List<Integer> quotedMarkers = new ArrayList<>();
    private final List<Long> codeMarkerLines = new ArrayList<>();
    private final Map<String, Long> copyRows = new LinkedHashMap<>();
    private int markers;
    private int parenDepth;
    /** The kind of the last string ('E' or 'P') while only whitespace and -- comments followed it. */
    private char lastString;
    private boolean gapNewline;
    private boolean gapLineFeed;

    /** marker(n) is the text of the n-th marker (a meta-command without its newline). */
    SqlTextGenerator(long seed, IntFunction<String> marker, boolean copyBlocks) {
        this.random = new Random(seed);
        this.marker = marker;
        this.copyBlocks = copyBlocks;
    }

    Text generate(int pieces) {
        for (int p = 0; p < pieces; p++) {
            piece(random.nextInt(copyBlocks ? 12 : 11), 2);
            int after = random.nextInt(10);
            if (after < 2) {
                codeMarker();
            } else {
                separator();
            }
        }
        // Close what is open, so psql sends everything and the text ends outside every construct.
        while (parenDepth > 0) {
            append(")");
            parenDepth--;
        }
        append(";\n");
        return new Text(sql.toString(), codeMarkers, quotedMarkers, copyRows, codeMarkerLines, allMarkers);
    }

    private void piece(int kind, int nesting) {
        switch (kind) {
            case 0, 1 -> code();
            case 2 -> string('E', "E'");
            case 3 -> string(lastString != 0 && gapNewline ? lastString : 'P', "'");
            case 4 -> string('P', "U&'");
            case 5 -> body("$$");
            case 6 -> body(TAGS[random.nextInt(TAGS.length)]);
            case 7 -> identifier();
            case 8 -> lineComment();
            case 9 -> blockComment(nesting);
            case 10 -> routine();
            default -> copy();
        }
    }

    private void code() {
        String token = CODE[random.nextInt(CODE.length)];
        if (token.equals("(")) {
            parenDepth++;
        } else if (token.equals(",") && parenDepth > 0 && random.nextBoolean()) {
            token = ")";
            parenDepth--;
        }
        append(token);
        lastString = 0;
    }

    private void string(char kind, String opener) {
        if (opener.equals("'") && lastString == 'E' && gapLineFeed) {
            // psql and the server read this continuation differently; the lexer reports it as ambiguous.
            append(",");
            lastString = 0;
            kind = 'P';
        }
        boolean continuation = opener.equals("'") && lastString != 0 && gapNewline;
        append(opener);
        String[] body = kind == 'E' ? ESCAPE_BODY : PLAIN_BODY;
        fill(body, 4);
        append("'");
        lastString = opener.equals("U&'") ? 'P' : continuation ? lastString : kind;
        gapNewline = false;
        gapLineFeed = false;
    }

    private void body(String tag) {
        append(tag);
        fill(DOLLAR_BODY, 4);
        if (!tag.equals("$$") && random.nextBoolean()) {
            append("$$");
        }
        append(tag);
        lastString = 0;
    }

    private void identifier() {
        append("\"");
        fill(IDENTIFIER_BODY, 3);
        append("a\"");
        lastString = 0;
    }

    private void lineComment() {
        append("--");
        for (int i = random.nextInt(4); i > 0; i--) {
            if (random.nextInt(5) == 0) {
                quotedMarker();
            } else {
                append(LINE_COMMENT_BODY[random.nextInt(LINE_COMMENT_BODY.length)]);
            }
        }
        append(random.nextBoolean() ? "\n" : "\r");
        gapNewline = true;
        gapLineFeed |= sql.charAt(sql.length() - 1) == '\n';
    }

    private void blockComment(int nesting) {
        append("/* ");
        for (int i = random.nextInt(4); i > 0; i--) {
            int choice = random.nextInt(6);
            if (choice == 0) {
                quotedMarker();
                append("\n");
            } else if (choice == 1 && nesting > 0) {
                blockComment(nesting - 1);
                append(" ");
            } else {
                append(BLOCK_COMMENT_BODY[random.nextInt(BLOCK_COMMENT_BODY.length)]);
            }
        }
        append(" */");
        lastString = 0;
    }

    /** A SQL-standard body, where semicolons do not end psql's statement; it holds strings and markers too. */
    private void routine() {
        if (parenDepth > 0) {
            code();
            return;
        }
        append("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT ");
        lastString = 0;
        int depth = parenDepth;
        piece(random.nextInt(10), 1);
        if (random.nextBoolean()) {
            codeMarker();
        }
        // psql counts BEGIN, CASE and END only outside parentheses: close them, so the body ends where it seems.
        for (; parenDepth > depth; parenDepth--) {
            append(")");
        }
        append("; SELECT CASE WHEN true THEN 1 END; END;");
        lastString = 0;
    }

    /** COPY data as pg_dump writes it: the statement alone on its line, psql's buffer empty before it. */
    private void copy() {
        if (parenDepth > 0) {
            code();
            return;
        }
        String table = "public.t" + random.nextInt(3);
        append(";\nCOPY " + table + " (a, b) FROM stdin;\n");
        long rows = random.nextInt(4);
        for (long r = 0; r < rows; r++) {
            append(COPY_ROWS[random.nextInt(COPY_ROWS.length)] + "\n");
        }
        append("\\.\n");
        copyRows.merge(table, rows, Long::sum);
        lastString = 0;
    }

    private void fill(String[] tokens, int max) {
        for (int i = random.nextInt(max + 1); i > 0; i--) {
            if (random.nextInt(6) == 0) {
                quotedMarker();
            } else {
                append(tokens[random.nextInt(tokens.length)]);
            }
        }
    }

    private void separator() {
        String s = switch (random.nextInt(5)) {
            case 0 -> "\n";
            case 1 -> "\t";
            case 2 -> "\r";
            default -> " ";
        };
        append(s);
        gapNewline |= s.equals("\n") || s.equals("\r");
        gapLineFeed |= s.equals("\n");
    }

    /** A meta-command where psql reads code: psql takes the rest of the line, so it ends with a newline. */
    private void codeMarker() {
        codeMarkers.add(bytes());
        allMarkers.add(bytes());
        codeMarkerLines.add(sql.chars().filter(ch -> ch == '\n').count() + 1);
        append(marker.apply(markers++) + "\n");
        lastString = 0;
        gapNewline = false;
        gapLineFeed = false;
    }

    private void quotedMarker() {
        quotedMarkers.add(bytes());
        allMarkers.add(bytes());
        append(marker.apply(markers++));
    }

    private void append(String s) {
        sql.append(s);
    }

    private int bytes() {
        return sql.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
