package com.neurocred.backup.dumpformat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generated SQL in every quoting form, with meta-commands put both where psql runs them and inside quotes,
 * bodies and comments: the lexer must find exactly the first kind, and the scanner must refuse the first of
 * them and forward nothing from it on. The seeds are fixed, so a failure names a text that reproduces it.
 */
class PsqlLexerPropertyTest {
    private static final int CASES = 400;

    @Test
    void codeBackslashes_should_beExactlyTheMetaCommandsPutInCode() {
        for (long seed = 1; seed <= CASES; seed++) {
            SqlTextGenerator.Text text = new SqlTextGenerator(seed, n -> "\\! x" + n, false).generate(1 + (int) (seed % 25));
            PsqlLexer lexer = new PsqlLexer();
            List<Integer> found = new ArrayList<>();
            byte[] bytes = text.sql().getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i++) {
                lexer.accept(bytes[i]);
                if (lexer.codeBackslash()) {
                    found.add(i);
                }
                assertThat(lexer.ambiguous()).as(text.describe(seed)).isFalse();
            }

            assertThat(found).as(text.describe(seed)).isEqualTo(text.codeMarkers());
            assertThat(lexer.openConstruct()).as(text.describe(seed)).isNull();
            assertThat(lexer.psqlBufferEmpty()).as(text.describe(seed)).isTrue();
        }
    }

    @Test
    void scanner_should_refuseTheFirstMetaCommandInCode_and_countTheCopyRows() throws IOException {
        int refused = 0;
        for (long seed = 1; seed <= CASES; seed++) {
            // Fewer markers in code than above, so that many texts have none and must pass whole.
            SqlTextGenerator.Text text = new SqlTextGenerator(seed * 7919, n -> "\\! x" + n, true)
                    .generate(1 + (int) (seed % 12));
            byte[] bytes = text.sql().getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream psql = new ByteArrayOutputStream();
            PlainDumpScanner scanner = PlainDumpScanner.forwardingTo(psql);
            int chunk = 1 + (int) (seed % 17);
            for (int off = 0; off < bytes.length; off += chunk) {
                scanner.update(bytes, off, Math.min(chunk, bytes.length - off));
            }
            scanner.finish();

            if (text.codeMarkers().isEmpty()) {
                assertThat(scanner.refusal()).as(text.describe(seed)).isEmpty();
                assertThat(scanner.rowsByTable()).as(text.describe(seed)).isEqualTo(text.copyRows());
                assertThat(psql.toByteArray()).as(text.describe(seed)).isEqualTo(bytes);
            } else {
                refused++;
                int first = text.codeMarkers().get(0);
                assertThat(scanner.refusal()).as(text.describe(seed))
                        .hasValueSatisfying(m -> assertThat(m).startsWith("psql meta-command \\! at line "
                                + text.codeMarkerLines().get(0)));
                // Nothing from the backslash on; from its line start on when it starts the line.
                int lineStart = text.sql().substring(0, new String(bytes, 0, first, StandardCharsets.UTF_8).length())
                        .lastIndexOf('\n') + 1;
                int lineStartByte = new String(bytes, 0, first, StandardCharsets.UTF_8).substring(0, lineStart)
                        .getBytes(StandardCharsets.UTF_8).length;
                int forwardedUpTo = lineStartByte == first ? lineStartByte : first;
                assertThat(psql.toString(StandardCharsets.UTF_8)).as(text.describe(seed))
                        .isEqualTo(new String(bytes, 0, forwardedUpTo, StandardCharsets.UTF_8));
            }
        }
        // The generator puts markers in code often enough that both branches are taken many times.
        assertThat(refused).isBetween(CASES / 10, CASES - CASES / 10);
    }
}
