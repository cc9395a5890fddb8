package com.neurocred.backup.dumpformat;

/**
 * Follows SQL text byte by byte as psql's own lexer does (src/fe_utils/psqlscan.l), with
 * standard_conforming_strings on as pg_dump sets it: whether the text is inside a string, a quoted
 * identifier, a dollar-quoted body or a comment; where psql ends a statement (a semicolon outside
 * parentheses and outside the BEGIN ... END body of a CREATE FUNCTION or PROCEDURE); where the server
 * starts one (after any semicolon); and which backslashes psql would take for the start of a
 * meta-command.
 *
 * <p>Where psql versions lex differently (a dollar sign or an E' right after a number), or psql and the server
 * do (an E'' string continued on a later line), the byte is reported as {@link #ambiguous()} rather than
 * guessed: pg_dump never writes any of them, and the caller refuses it. UTF-8 bytes of multi-byte characters
 * are all above 0x7F, so they never look like quotes.
 */
final class PsqlLexer {
    private enum State {
        CODE, STRING, ESCAPE_STRING, STRING_CLOSED, QUOTE_GAP, IDENTIFIER, IDENTIFIER_CLOSED, DOLLAR_TAG, DOLLAR,
        LINE_COMMENT, BLOCK_COMMENT, META_COMMAND
    }

    /** A word run's first character: letters make an identifier, digits a number. */
    private enum Run { NONE, WORD, NUMBER }

    /** The longest keyword the statement-end heuristic looks at ("procedure"). */
    private static final int KEYWORD_MAX = 9;

    private State state = State.CODE;
    private boolean escapeNext;
    private boolean escapeStringClosed;
    private boolean gapNewline;
    private boolean gapLineFeed;
    private boolean gapComment;
    private boolean gapDash;
    private final StringBuilder tag = new StringBuilder();
    private int tagMatched;
    private int commentDepth;
    private int prev = -1;

    private Run run = Run.NONE;
    private int runLength;
    private final StringBuilder word = new StringBuilder(KEYWORD_MAX);

    private int parenDepth;
    private int beginDepth;
    private int identifierCount;
    private final char[] leadingKeywords = new char[4];
    private boolean psqlBufferEmpty = true;
    private boolean serverStatementStart = true;

    private boolean codeBackslash;
    private boolean terminated;
    private boolean copyToken;
    private boolean ambiguous;

    /** Takes the next byte; the per-byte flags below then describe it. */
    void accept(byte b) {
        int c = b & 0xFF;
        codeBackslash = false;
        terminated = false;
        copyToken = false;
        ambiguous = false;
        switch (state) {
            case CODE -> code(c);
            case STRING -> string(c);
            case ESCAPE_STRING -> escapeString(c);
            case STRING_CLOSED -> stringClosed(c);
            case QUOTE_GAP -> quoteGap(c);
            case IDENTIFIER -> identifier(c);
            case IDENTIFIER_CLOSED -> identifierClosed(c);
            case DOLLAR_TAG -> dollarTag(c);
            case DOLLAR -> dollarBody(c);
            case LINE_COMMENT -> lineComment(c);
            case BLOCK_COMMENT -> blockComment(c);
            case META_COMMAND -> metaCommand(c);
        }
    }

    /** The byte was a backslash outside every quote and comment: psql would start a meta-command there. */
    boolean codeBackslash() {
        return codeBackslash;
    }

    /** The byte was a semicolon that makes psql send the statement it has collected. */
    boolean terminated() {
        return terminated;
    }

    /** The byte ended the word COPY as the first token of a server statement. */
    boolean copyToken() {
        return copyToken;
    }

    /** The byte is lexed differently by different psql versions (see the class comment). */
    boolean ambiguous() {
        return ambiguous;
    }

    /** Nothing but whitespace and line comments since psql last sent a statement. */
    boolean psqlBufferEmpty() {
        return psqlBufferEmpty;
    }

    /** Outside every string, identifier, body and comment (a line comment counts as outside). */
    boolean isOutsideQuotes() {
        return switch (state) {
            case CODE, STRING_CLOSED, QUOTE_GAP, IDENTIFIER_CLOSED, LINE_COMMENT, META_COMMAND -> true;
            default -> false;
        };
    }

    /** What the text is inside of, for a report; null when outside. */
    String openConstruct() {
        return switch (state) {
            case STRING, ESCAPE_STRING -> "a string literal";
            case IDENTIFIER -> "a quoted identifier";
            case DOLLAR, DOLLAR_TAG -> "a dollar-quoted body (" + tag + ")";
            case BLOCK_COMMENT -> "a block comment";
            default -> null;
        };
    }

    private void code(int c) {
        if (c == '-' && prev == '-' || c == '*' && prev == '/') {
            // The dash or slash before this byte already ended any word.
            state = c == '-' ? State.LINE_COMMENT : State.BLOCK_COMMENT;
            commentDepth = 1;
            setPrev(-1);
            return;
        }
        if (prev == '-' || prev == '/') {
            // A minus or slash that did not start a comment is part of the statement.
            psqlBufferEmpty = false;
        }
        if (isWordChar(c)) {
            word(c);
            return;
        }
        if (c == '\'') {
            openString();
            psqlBufferEmpty = false;
            return;
        }
        endWord();
        if (c == '\\') {
            // psql hands the rest of the line to its meta-command parser; nothing of it joins the statement.
            codeBackslash = true;
            state = State.META_COMMAND;
            setPrev(-1);
            return;
        }
        if (!isSpace(c) && c != '-' && c != '/') {
            psqlBufferEmpty = false;
        }
        switch (c) {
            case '"' -> state = State.IDENTIFIER;
            case '(' -> parenDepth++;
            case ')' -> parenDepth = Math.max(0, parenDepth - 1);
            case ';' -> semicolon();
            default -> {
                // Operators, commas, whitespace: nothing psql tracks.
            }
        }
        setPrev(c);
    }

    /** A byte that may belong to an identifier or a number; {@code $} continues one or opens a body. */
    private void word(int c) {
        if (c == '$') {
            if (run == Run.NUMBER) {
                // "1$a$": a number, then a body to some psql versions; pg_dump never writes it.
                ambiguous = true;
            } else if (run == Run.NONE) {
                tag.setLength(0);
                tag.append('$');
                state = State.DOLLAR_TAG;
                psqlBufferEmpty = false;
                return;
            }
        }
        if (run == Run.NONE) {
            run = c >= '0' && c <= '9' ? Run.NUMBER : Run.WORD;
            runLength = 0;
            word.setLength(0);
            psqlBufferEmpty = false;
        }
        runLength++;
        if (run == Run.WORD && word.length() <= KEYWORD_MAX) {
            word.append((char) Character.toLowerCase(c));
        }
        setPrev(c);
    }

    /** E'...' (backslash escapes) when a lone E starts the token; after a number, versions disagree. */
    private void openString() {
        boolean prefixE = prev == 'e' || prev == 'E';
        if (run == Run.WORD && runLength == 1 && prefixE) {
            run = Run.NONE;
            state = State.ESCAPE_STRING;
        } else {
            ambiguous = run == Run.NUMBER && prefixE;
            endWord();
            state = State.STRING;
        }
        escapeNext = false;
    }

    /** The end of an identifier or number: the statement-end heuristic looks at identifiers. */
    private void endWord() {
        if (run == Run.WORD) {
            identifier(word.length() > KEYWORD_MAX ? "" : word.toString());
        }
        run = Run.NONE;
    }

    /**
     * psql's heuristic for SQL-standard function bodies: in a statement that starts CREATE [OR REPLACE]
     * FUNCTION|PROCEDURE, BEGIN (and CASE inside it) opens and END closes a block in which semicolons do
     * not end the statement.
     */
    private void identifier(String name) {
        // The server runs each statement of a string psql sends, so COPY counts after any semicolon.
        if (serverStatementStart && name.equals("copy")) {
            copyToken = true;
        }
        serverStatementStart = false;
        if (identifierCount == 0) {
            java.util.Arrays.fill(leadingKeywords, '\0');
        }
        if (identifierCount < leadingKeywords.length && (name.equals("create") || name.equals("function")
                || name.equals("procedure") || name.equals("or") || name.equals("replace"))) {
            leadingKeywords[identifierCount] = name.charAt(0);
        }
        identifierCount++;
        boolean routine = leadingKeywords[0] == 'c' && (leadingKeywords[1] == 'f' || leadingKeywords[1] == 'p'
                || leadingKeywords[1] == 'o' && leadingKeywords[2] == 'r'
                && (leadingKeywords[3] == 'f' || leadingKeywords[3] == 'p'));
        if (routine && parenDepth == 0) {
            if (name.equals("begin")) {
                beginDepth++;
            } else if (name.equals("case") && beginDepth >= 1) {
                beginDepth++;
            } else if (name.equals("end") && beginDepth > 0) {
                beginDepth--;
            }
        }
    }

    private void semicolon() {
        serverStatementStart = true;
        if (parenDepth == 0 && beginDepth == 0) {
            terminated = true;
            identifierCount = 0;
            psqlBufferEmpty = true;
        }
    }

    private void string(int c) {
        if (c == '\'') {
            escapeStringClosed = false;
            state = State.STRING_CLOSED;
        }
    }

    private void escapeString(int c) {
        if (escapeNext) {
            escapeNext = false;
        } else if (c == '\\') {
            escapeNext = true;
        } else if (c == '\'') {
            escapeStringClosed = true;
            state = State.STRING_CLOSED;
        }
    }

    /** After a closing quote: a second quote is an escaped quote; whitespace may lead to a continuation. */
    private void stringClosed(int c) {
        if (c == '\'') {
            state = escapeStringClosed ? State.ESCAPE_STRING : State.STRING;
            return;
        }
        gapNewline = false;
        gapLineFeed = false;
        gapComment = false;
        gapDash = false;
        state = State.QUOTE_GAP;
        quoteGap(c);
    }

    /**
     * Between a closing quote and a possible continuation: SQL joins 'a' and 'b' separated by whitespace
     * with a newline (comments allowed) into one literal of the first one's kind. Anything else ends the
     * literal and is lexed as code.
     */
    private void quoteGap(int c) {
        if (gapComment) {
            if (c == '\n' || c == '\r') {
                gapComment = false;
                gapNewline = true;
                gapLineFeed |= c == '\n';
            }
            return;
        }
        if (gapDash && c == '-') {
            gapDash = false;
            gapComment = true;
            return;
        }
        if (!gapDash && isSpace(c)) {
            gapNewline |= c == '\n' || c == '\r';
            gapLineFeed |= c == '\n';
            return;
        }
        if (!gapDash && c == '-') {
            gapDash = true;
            return;
        }
        if (!gapDash && c == '\'' && gapNewline) {
            // psql reads its input line by line and never sees the line feed between them: psql 15 continues a
            // string only across a carriage return, older psql never across lines, the server always. For
            // an E'' string, whose backslashes escape, a continued '\' and a new one end in different places.
            ambiguous = escapeStringClosed && gapLineFeed;
            state = escapeStringClosed ? State.ESCAPE_STRING : State.STRING;
            return;
        }
        // A dash that started no comment is an operator: nothing psql tracks (the string already made the
        // statement non-empty), and it cannot pair with c, which is no dash.
        backToCode();
        code(c);
    }

    private void identifier(int c) {
        if (c == '"') {
            state = State.IDENTIFIER_CLOSED;
        }
    }

    private void identifierClosed(int c) {
        if (c == '"') {
            state = State.IDENTIFIER;
            return;
        }
        backToCode();
        code(c);
    }

    private void dollarTag(int c) {
        if (c == '$') {
            tag.append('$');
            state = State.DOLLAR;
            tagMatched = 0;
        } else if (isIdentifierStart(c) || tag.length() > 1 && c >= '0' && c <= '9') {
            tag.append((char) c);
        } else {
            // "$1", "$abc" or a lone "$": not a dollar quote after all. psql keeps only the "$" and lexes
            // everything after it again, so "$e'" is a $ and an E'' string, and "$begin" holds a keyword.
            backToCode();
            for (int i = 1; i < tag.length(); i++) {
                code(tag.charAt(i));
            }
            code(c);
        }
    }

    private void dollarBody(int c) {
        if (c == tag.charAt(tagMatched)) {
            tagMatched++;
            if (tagMatched == tag.length()) {
                backToCode();
            }
        } else {
            tagMatched = c == '$' ? 1 : 0;
        }
    }

    /** A meta-command's arguments run to the end of the line psql read. */
    private void metaCommand(int c) {
        if (c == '\n') {
            state = State.CODE;
        }
    }

    /** psql ends a line comment at a carriage return as well as a newline. */
    private void lineComment(int c) {
        if (c == '\n' || c == '\r') {
            // The line end itself is whitespace, which psql does not track.
            backToCode();
        }
    }

    private void blockComment(int c) {
        if (c == '*' && prev == '/') {
            commentDepth++;
            setPrev(-1);
            return;
        }
        if (c == '/' && prev == '*') {
            commentDepth--;
            if (commentDepth == 0) {
                state = State.CODE;
                // psql keeps block comments in the statement it collects.
                psqlBufferEmpty = false;
            }
            setPrev(-1);
            return;
        }
        setPrev(c);
    }

    /**
     * The previous byte, as far as it can pair with the next into a comment's start or end: only code and
     * block comments read it, and a character that closed or opened a construct must not pair with the next
     * one ("/*&#47;" is no "*&#47;"). Inside strings, identifiers and bodies it is not kept.
     */
    private void setPrev(int c) {
        prev = c;
    }

    /** A string, identifier, body or comment has ended: its last byte pairs with nothing after it. */
    private void backToCode() {
        state = State.CODE;
        setPrev(-1);
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    private static boolean isIdentifierStart(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80;
    }

    private static boolean isWordChar(int c) {
        return isIdentifierStart(c) || c >= '0' && c <= '9' || c == '$';
    }
}
