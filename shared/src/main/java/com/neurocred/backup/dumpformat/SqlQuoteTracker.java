package com.neurocred.backup.dumpformat;

/**
 * Follows SQL text byte by byte and knows whether it is inside a string, a quoted identifier, a
 * dollar-quoted body or a comment. A dump whose text does not end back outside all of them is cut or
 * corrupt. UTF-8 bytes of multi-byte characters are all above 0x7F, so they never look like quotes.
 */
final class SqlQuoteTracker {
    private enum State { NORMAL, SINGLE, SINGLE_CLOSED, DOUBLE, DOUBLE_CLOSED, DOLLAR_TAG, DOLLAR, LINE_COMMENT, BLOCK_COMMENT }

    private State state = State.NORMAL;
    private boolean backslashEscapes;
    private boolean skipNext;
    private final StringBuilder tag = new StringBuilder();
    private int tagMatched;
    private int commentDepth;
    private int prev = -1;
    private int prevPrev = -1;

    void accept(byte b) {
        int c = b & 0xFF;
        int seen = switch (state) {
            case NORMAL -> normal(c);
            case SINGLE -> single(c);
            case SINGLE_CLOSED -> closedQuote(c, '\'', State.SINGLE);
            case DOUBLE -> {
                if (c == '"') {
                    state = State.DOUBLE_CLOSED;
                }
                yield c;
            }
            case DOUBLE_CLOSED -> closedQuote(c, '"', State.DOUBLE);
            case DOLLAR_TAG -> dollarTag(c);
            case DOLLAR -> dollarBody(c);
            case LINE_COMMENT -> {
                if (c == '\n') {
                    state = State.NORMAL;
                }
                yield c;
            }
            case BLOCK_COMMENT -> blockComment(c);
        };
        prevPrev = prev;
        // A character that closed or opened a construct must not pair with the next one ("/*/" is no "*/").
        prev = seen;
    }

    /** After a closing quote: the same quote again is an escaped quote, anything else is back in SQL. */
    private int closedQuote(int c, char quote, State inside) {
        if (c == quote) {
            state = inside;
            return c;
        }
        state = State.NORMAL;
        return normal(c);
    }

    /** Outside every string, identifier, body and comment. */
    boolean isOutsideQuotes() {
        return state == State.NORMAL || state == State.SINGLE_CLOSED || state == State.DOUBLE_CLOSED
                || state == State.LINE_COMMENT;
    }

    /** What the text is inside of, for a report; null when outside. */
    String openConstruct() {
        return switch (state) {
            case SINGLE -> "a string literal";
            case DOUBLE -> "a quoted identifier";
            case DOLLAR, DOLLAR_TAG -> "a dollar-quoted body (" + tag + ")";
            case BLOCK_COMMENT -> "a block comment";
            default -> null;
        };
    }

    private int normal(int c) {
        if (c == '-' && prev == '-') {
            state = State.LINE_COMMENT;
        } else if (c == '*' && prev == '/') {
            state = State.BLOCK_COMMENT;
            commentDepth = 1;
            return -1;
        } else if (c == '\'') {
            backslashEscapes = (prev == 'E' || prev == 'e') && !isIdentifierChar(prevPrev);
            state = State.SINGLE;
        } else if (c == '"') {
            state = State.DOUBLE;
        } else if (c == '$' && !isIdentifierChar(prev)) {
            tag.setLength(0);
            tag.append('$');
            state = State.DOLLAR_TAG;
        }
        return c;
    }

    private int single(int c) {
        if (skipNext) {
            skipNext = false;
            return -1;
        }
        if (backslashEscapes && c == '\\') {
            skipNext = true;
        } else if (c == '\'') {
            state = State.SINGLE_CLOSED;
        }
        return c;
    }

    private int dollarTag(int c) {
        if (c == '$') {
            tag.append('$');
            state = State.DOLLAR;
            tagMatched = 0;
        } else if (isIdentifierStart(c) || (tag.length() > 1 && c >= '0' && c <= '9')) {
            tag.append((char) c);
        } else {
            // "$1" or a lone "$": not a dollar quote after all.
            state = State.NORMAL;
            return normal(c);
        }
        return c;
    }

    private int dollarBody(int c) {
        if (c == tag.charAt(tagMatched)) {
            tagMatched++;
            if (tagMatched == tag.length()) {
                state = State.NORMAL;
                return -1;
            }
        } else {
            tagMatched = c == '$' ? 1 : 0;
        }
        return c;
    }

    private int blockComment(int c) {
        if (c == '*' && prev == '/') {
            commentDepth++;
            return -1;
        }
        if (c == '/' && prev == '*') {
            commentDepth--;
            if (commentDepth == 0) {
                state = State.NORMAL;
            }
            return -1;
        }
        return c;
    }

    private static boolean isIdentifierStart(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80;
    }

    private static boolean isIdentifierChar(int c) {
        return isIdentifierStart(c) || c >= '0' && c <= '9' || c == '$';
    }
}
