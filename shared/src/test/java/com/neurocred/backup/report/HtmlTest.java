package com.neurocred.backup.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Escaping of everything the report takes from the store. */
class HtmlTest {

    @Test
    void text_should_escapeEveryCharacterThatCanEndATextOrAnAttribute() {
        assertThat(Html.text("a & b < c > d \"e\" 'f'")).isEqualTo("a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;");
    }

    @Test
    void text_should_replaceControlCharacters_butKeepNewlinesAndTabs() {
        // XML 1.0 forbids U+0000 to U+001F but tab, newline and carriage return: one in the page makes it unreadable
        // to an XML parser, and an escape sequence would reach whoever pastes it into a terminal.
        assertThat(Html.text("a\u0000b\u001b[31mc\u0007d\u007fe")).isEqualTo("a\uFFFDb\uFFFD[31mc\uFFFDd\uFFFDe");
        assertThat(Html.text("line\nnext\tcell")).isEqualTo("line\nnext\tcell");
    }

    @Test
    void text_should_keepOtherTextAsItIs_andGiveNothingForNull() {
        assertThat(Html.text("Zürich · 東京 \uD83D\uDE00 0/3000028")).isEqualTo("Zürich · 東京 \uD83D\uDE00 0/3000028");
        assertThat(Html.text(null)).isEmpty();
        assertThat(Html.text("")).isEmpty();
    }

    @Test
    void text_should_replaceUnpairedSurrogatesAndNoncharacters_thatNoXmlOrUtf8CanCarry() {
        // A verification record's JSON can hold "\ud800": a lone surrogate cannot be written as UTF-8 (the CLI's
        // Files.writeString refuses the whole page), and XML 1.0 forbids it and U+FFFE, U+FFFF.
        String escaped = Html.text("a\uD800b\uDC00c\uFFFEd\uFFFFe\uD83D");

        assertThat(escaped).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFD");
        assertThat(java.nio.charset.StandardCharsets.UTF_8.newEncoder().canEncode(escaped)).isTrue();
        assertThat(Html.text("\uD83D\uDE00\uD800\uD83D\uDE00")).isEqualTo("\uD83D\uDE00\uFFFD\uD83D\uDE00");
    }
}
