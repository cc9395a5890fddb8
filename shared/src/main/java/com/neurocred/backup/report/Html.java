package com.neurocred.backup.report;

/**
 * Escapes text for HTML and SVG. Every name and detail in the report comes from the store, which whoever can write
 * there controls: all of it goes through here, so none of it can become markup.
 */
final class Html {
    private Html() {
    }

    static String text(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    } else {
                        out.append(allowed(c) ? c : '\uFFFD');
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * Whether a character (not half of a surrogate pair) may stand in the page: XML 1.0 forbids control characters
     * but tab and newline (and carriage return, dropped too), lone surrogates, which no UTF-8 writer encodes, and
     * U+FFFE and U+FFFF. A record's JSON can hold any of them as an escape.
     */
    private static boolean allowed(char c) {
        return c == '\n' || c == '\t'
                || !Character.isISOControl(c) && !Character.isSurrogate(c) && c != '\uFFFE' && c != '\uFFFF';
    }
}
