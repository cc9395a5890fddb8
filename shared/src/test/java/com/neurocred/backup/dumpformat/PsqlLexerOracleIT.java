package com.neurocred.backup.dumpformat;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * psql itself as the oracle of the lexer: texts with {@code \echo MARK<n>} at candidate places, some in code
 * and some inside quotes, bodies and comments, run through psql -X -f (ON_ERROR_STOP off, query output
 * discarded) against a scratch database. The markers psql printed must be exactly those the lexer takes for
 * code. Markers in the generated texts also have a known place, checked by PsqlLexerPropertyTest.
 */
class PsqlLexerOracleIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static final Pattern PRINTED = Pattern.compile("(?m)^MARK(\\d+)$");
    private static String database;

    @TempDir
    Path dir;

    @BeforeAll
    static void scratchDatabase() {
        database = PG.createDatabase("lexer_oracle");
    }

    @Test
    void psql_should_runExactlyTheMarkersTheLexerFindsInCode_when_textsAreGenerated() throws IOException {
        List<String> disagreements = new ArrayList<>();
        int executed = 0;
        int quoted = 0;
        for (long seed = 1; seed <= 250; seed++) {
            SqlTextGenerator.Text text = new SqlTextGenerator(seed * 31, n -> "\\echo MARK" + n, false)
                    .generate(1 + (int) (seed % 20));
            Set<Integer> byPsql = runPsql(text.sql());
            Set<Integer> byLexer = markersInCode(text.sql(), text.markers());
            executed += byPsql.size();
            quoted += text.markers().size() - byPsql.size();
            if (!byPsql.equals(byLexer)) {
                disagreements.add("psql ran " + byPsql + ", the lexer finds in code " + byLexer + "; " + text.describe(seed));
            }
            assertThat(byLexer).as(text.describe(seed)).isEqualTo(numbers(text.markers(), text.codeMarkers()));
            assertThat(ambiguous(text.sql())).as(text.describe(seed)).isFalse();
        }

        assertThat(disagreements).isEmpty();
        // Both kinds of marker were there to be told apart.
        assertThat(executed).isGreaterThan(100);
        assertThat(quoted).isGreaterThan(100);
    }

    @Test
    void psql_should_runExactlyTheMarkersTheLexerFindsInCode_when_textsAreTheHardCases() throws IOException {
        // § is a marker. Each text is a rule of psql's lexer the lexer must follow (see PsqlLexerTest).
        String[] templates = {
            "SELECT $e'\\' ' §\n;\n",                      // a failed $tag keeps only the $: E'' follows
            "SELECT 1/**/ §\n;\n",                           // the opening star closes nothing
            "/* /** */ §\n */ SELECT 1;\n",                 // "/**" opens one level
            "/* a /* b *// §\n */ */ SELECT 1;\n",          // "*//": the slash pairs with nothing
            "SELECT 1 /*/ §\n */;\n",
            "SELECT U&'\\' §\n;\n",                          // U&'' has no backslash escapes
            "SELECT U&\"\\\" §\n;\n",
            "SELECT E'a'\r'\\'' §\n';\n",                   // a continuation after \r keeps E''
            "SELECT E'a' -- c\r'\\'' §\n';\n",              // ... and after a comment and carriage return
            "SELECT E'a'\r-- c\r'\\'' §\n';\n",
            "SELECT E'a' '\\'' §\n';\n",                    // no newline: a new standard string
            "SELECT E'a' -\n'\\'' §\n';\n",                 // a dash ends the gap
            "SELECT E'a'\n-'\\'' §\n';\n",
            "SELECT e'\\'' §\n';\n",
            "SELECT N'\\'' §\n';\n",
            "SELECT B'0''§\n';\n",
            "SELECT x'41'§\n;\n",
            "SELECT 'a''§\n';\n",
            "SELECT 'a'\n-- c\n'§\n';\n",
            "SELECT 'a'\n'\\' §\n';\n",                     // psql does not continue across a line feed
            "SELECT 'a'\n\r'\\'' §\n';\n",
            "SELECT \"a\"\"§\n\";\n",
            "SELECT \"a\"§\n;\n",
            "SELECT $fn$ $f$ §\n $fn$;\n",
            "SELECT $a$b$ §\n $a$;\n",
            "SELECT a$b$ §\n;\n",
            "SELECT $é$ §\n $é$;\n",
            "SELECT $1$ §\n;\n",
            "SELECT 1e'x' §\n;\n",
            "SELECT 1e'\\'' §\n';\n",
            "SELECT 1 -- c\r§\n;\n",
            "SELECT 1 -§\n- 1 §\n;\n",
            "SELECT 1; -- c\r§\n\r§\n",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; §\nSELECT 'a'§\n; END;\n",
        };
        // psql and the server read an E'' string continued after a line feed differently: the lexer calls
        // these ambiguous (and the scanner refuses them); psql 15's reading is printed for the record.
        String[] ambiguous = {
            "SELECT E'a' -- c\n'\\'' §\n';\n",
            "SELECT E'a'\n-- c\n'\\'' §\n';\n",
            "SELECT E'a'\n'\\' §\n';\n",
            "SELECT E'a'\n\r'\\'' §\n';\n",
        };
        for (String template : ambiguous) {
            String text = rebuild(template);
            assertThat(ambiguous(text)).as(text).isTrue();
            System.out.println("ambiguous to the lexer; psql 15 ran " + runPsql(text) + " of:\n" + text);
        }
        List<String> disagreements = new ArrayList<>();
        for (String template : templates) {
            String text = rebuild(template);
            if (ambiguous(text) && !template.contains("1e'") && !template.contains("$1$")) {
                disagreements.add("ambiguous to the lexer: " + text);
            }
            Set<Integer> byPsql = runPsql(text);
            Set<Integer> byLexer = markersInCode(text, offsets(text));
            if (!byPsql.equals(byLexer)) {
                disagreements.add("psql ran " + byPsql + ", the lexer finds in code " + byLexer + " in:\n" + text);
            }
        }

        assertThat(disagreements).isEmpty();
    }

    @Test
    void psqlVariable_should_notRunAMetaCommand_when_itsValueHoldsOne() throws IOException {
        // psql substitutes :NAME in code and lexes the value again. The only variable a dump can fill without
        // a meta-command is the last error's message; a backslash in it would be a meta-command in no quote.
        String text = "DO $$BEGIN RAISE EXCEPTION E'x\\n\\\\echo MARK0\\n'; END$$;\nSELECT :LAST_ERROR_MESSAGE;\n";

        Set<Integer> byPsql = runPsql(text);

        assertThat(markersInCode(text, offsets(text))).isEmpty();
        assertThat(byPsql).as("psql ran the backslash in :LAST_ERROR_MESSAGE").isEmpty();
    }

    /** The template with its n-th § replaced by \echo MARK<n>. */
    private static String rebuild(String template) {
        String[] parts = template.split("§", -1);
        StringBuilder sql = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            sql.append("\\echo MARK").append(i - 1).append(parts[i]);
        }
        return sql.toString();
    }

    /** Byte offsets of each marker's backslash, by number. */
    private static List<Integer> offsets(String text) {
        List<Integer> offsets = new ArrayList<>();
        for (int n = 0; ; n++) {
            int at = text.indexOf("\\echo MARK" + n + "\n");
            if (at < 0) {
                at = text.indexOf("\\echo MARK" + n);
            }
            if (at < 0) {
                return offsets;
            }
            offsets.add(text.substring(0, at).getBytes(StandardCharsets.UTF_8).length);
        }
    }

    private static Set<Integer> numbers(List<Integer> markers, List<Integer> subset) {
        Set<Integer> numbers = new TreeSet<>();
        for (int n = 0; n < markers.size(); n++) {
            if (subset.contains(markers.get(n))) {
                numbers.add(n);
            }
        }
        return numbers;
    }

    private static boolean ambiguous(String text) {
        PsqlLexer lexer = new PsqlLexer();
        boolean ambiguous = false;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            lexer.accept(b);
            ambiguous |= lexer.ambiguous();
        }
        return ambiguous;
    }

    private static Set<Integer> markersInCode(String text, List<Integer> markers) {
        PsqlLexer lexer = new PsqlLexer();
        Set<Integer> inCode = new TreeSet<>();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            lexer.accept(bytes[i]);
            if (lexer.codeBackslash()) {
                int n = markers.indexOf(i);
                inCode.add(n >= 0 ? n : -1 - i);
            }
        }
        return inCode;
    }

    private Set<Integer> runPsql(String text) throws IOException {
        Path file = dir.resolve("case.sql");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        List<String> command = List.of(PG.bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=0", "-o", "/dev/null",
                "-h", "127.0.0.1", "-p", String.valueOf(PG.port()), "-U", PostgresFixture.SUPERUSER, "-d", database,
                "-f", file.toString());
        Processes.Outcome outcome = Processes.outcome(command, new byte[0], PG.env(), null);
        assertThat(outcome.stdout()).as(text).doesNotContain("DECOY");
        Set<Integer> printed = new TreeSet<>();
        Matcher m = PRINTED.matcher(outcome.stdout());
        while (m.find()) {
            printed.add(Integer.parseInt(m.group(1)));
        }
        return printed;
    }
}
