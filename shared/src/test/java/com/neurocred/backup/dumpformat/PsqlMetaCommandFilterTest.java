package com.neurocred.backup.dumpformat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guard between a stored dump and psql: only pg_dump's own meta-commands pass, everything else is
 * refused with its line, and nothing from a refused backslash on reaches psql, whatever the chunking.
 */
class PsqlMetaCommandFilterTest {
    private static final String KEY = "76p8OhBYXJ3idrZ7DW1Uf3IzS5cX5sR229ud3IfjGhmha7oaTrL2jnQHLl2qGb2";
    private static final String HEAD = String.join("\n", "--", "-- PostgreSQL database dump", "--", "",
            "\\restrict " + KEY, "", "SET standard_conforming_strings = on;", "");
    private static final String BODY = String.join("\n",
            "CREATE FUNCTION public.f() RETURNS integer",
            "    LANGUAGE sql",
            "    BEGIN ATOMIC",
            " SELECT 1;",
            "END;",
            "CREATE FUNCTION public.g() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE '\\! not a command'; END $$;",
            "COMMENT ON TABLE public.t IS 'C:\\dir\\';",
            "-- a comment mentioning \\! is only a comment",
            "COPY public.t (a, b) FROM stdin;",
            "1\tx\\\\y",
            "2\t\\! echo this is data",
            "\\.",
            "");
    private static final String TAIL = String.join("\n", "", "--", "-- PostgreSQL database dump complete", "--", "",
            "\\unrestrict " + KEY, "");
    private static final String DUMP = HEAD + BODY + TAIL;

    @Test
    void pgDumpOutput_should_pass_withItsRestrictLinesBlanked() throws IOException {
        Result r = scan(DUMP, DUMP.length());

        assertThat(r.scanner.refusal()).isEmpty();
        assertThat(r.scanner.footerSeen()).isTrue();
        assertThat(r.scanner.restrictUnclosed()).isFalse();
        assertThat(r.scanner.rowsByTable()).containsEntry("public.t", 2L);
        assertThat(r.forwarded).isEqualTo(DUMP.replace("\\restrict " + KEY, "").replace("\\unrestrict " + KEY, ""));
    }

    @Test
    void metaCommand_should_beRefused_when_placedBeforeTheRestrictLine() throws IOException {
        String dump = "--\n-- PostgreSQL database dump\n--\n\\! touch /tmp/pwned\n" + DUMP.substring(HEAD.indexOf("\\restrict"));

        Result r = scan(dump, 7);

        assertThat(r.scanner.refusal()).contains("psql meta-command \\! at line 4");
        assertThat(r.forwarded).isEqualTo("--\n-- PostgreSQL database dump\n--\n");
    }

    @Test
    void metaCommand_should_beRefused_when_wrappedInTheDumpsOwnKey() throws IOException {
        String dump = HEAD + "\\unrestrict " + KEY + "\n\\! touch /tmp/pwned\n\\restrict " + KEY + "\n" + BODY + TAIL;

        Result r = scan(dump, 64);

        assertThat(r.scanner.refusal()).hasValueSatisfying(m -> assertThat(m).contains("line 9"));
        assertThat(r.forwarded).doesNotContain("pwned").doesNotContain("\\");
    }

    @Test
    void metaCommand_should_beRefused_when_placedAfterTheClosingUnrestrict() throws IOException {
        String dump = DUMP + "\\! touch /tmp/pwned\n";

        Result r = scan(dump, 3);

        assertThat(r.scanner.refusal()).contains("psql meta-command \\! at line " + dump.lines().count()
                + ", after the \\unrestrict of line " + (dump.lines().count() - 1) + " that ends pg_dump's dumps");
        assertThat(r.forwarded).doesNotContain("pwned");
    }

    @Test
    void sql_should_beRefused_when_itFollowsTheClosingUnrestrict() throws IOException {
        Result r = scan(DUMP + "DROP TABLE public.t;\n", 5);

        assertThat(r.scanner.refusal()).hasValueSatisfying(m -> assertThat(m).contains("after pg_dump's closing"));
    }

    @Test
    void metaCommand_should_beRefused_when_itFollowsSqlOnTheSameLine() throws IOException {
        String dump = HEAD + "SELECT 1; \\! touch /tmp/pwned\n" + BODY + TAIL;

        Result r = scan(dump, 11);

        assertThat(r.scanner.refusal()).contains("psql meta-command \\! at line 8");
        // psql reads whole lines: the part before the backslash, without its newline, is never run.
        assertThat(r.forwarded).endsWith("SET standard_conforming_strings = on;\nSELECT 1; ");
    }

    @Test
    void metaCommand_should_beRefused_when_aLineCommentEndsAtACarriageReturn() throws IOException {
        Result r = scan(HEAD + "-- harmless\r\\! touch /tmp/pwned\n" + BODY + TAIL, 4);

        assertThat(r.scanner.refusal()).contains("psql meta-command \\! at line 8");
    }

    @Test
    void metaCommand_should_beRefused_when_copyDataEndsAtBackslashDotCarriageReturn() throws IOException {
        String dump = HEAD + "COPY public.t (a) FROM stdin;\n1\n\\.\r\n\\! touch /tmp/pwned\n" + TAIL;

        Result r = scan(dump, 2);

        assertThat(r.scanner.refusal()).contains("psql meta-command \\! at line 11");
        assertThat(r.scanner.rowsByTable()).containsEntry("public.t", 1L);
    }

    @Test
    void copy_should_beRefused_when_notInPgDumpsForm() throws IOException {
        for (String copy : new String[] {"copy public.t (a) from stdin;", "COPY public.t (a)\nFROM stdin;",
"COPY public.t (a) FROM stdin; COPY public.u (a) FROM stdin;",
                "CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS 'select 1';\nCOPY public.t (a) FROM stdin;"}) {
            String dump = HEAD + copy + "\n'\n\\.\n\\! touch /tmp/pwned\n" + TAIL;

            Result r = scan(dump, 5);

            assertThat(r.scanner.refusal()).as(copy).hasValueSatisfying(m -> assertThat(m).contains("COPY statement"));
            assertThat(r.forwarded).as(copy).doesNotContain("pwned");
        }
    }

    @Test
    void metaCommand_should_beRefused_when_psqlIsStillCollectingAStatement() throws IOException {
        // Inside parentheses psql does not send at a semicolon, but runs a meta-command at once.
        Result r = scan(HEAD + "SELECT (\nCOPY public.t (a) FROM stdin;\n\\! touch /tmp/pwned\n" + TAIL, 3);

        assertThat(r.scanner.refusal()).contains("psql meta-command \\! at line 10");
        assertThat(r.forwarded).doesNotContain("pwned");
    }

    @Test
    void metaCommand_should_beRefused_when_anEscapeStringContinuesOnTheNextLine() throws IOException {
        // The server continues E'a' with a quoted string on a later line as an escape string, but psql reads
        // line by line and lexes '\' there as a standard string (PsqlLexerOracleIT): the first text hides a
        // meta-command from a reader that follows the server, the second from one that follows psql.
        for (String sql : new String[] {"SELECT E'a'\n'\\'' \\! touch /tmp/pwned '\n;\n",
                "SELECT E'a'\n'\\' \\! touch /tmp/pwned\n';\n"}) {
            Result r = scan(HEAD + sql + TAIL, 3);

            assertThat(r.scanner.refusal()).as(sql).hasValueSatisfying(m -> assertThat(m).contains(
                    "an E'' string continued on a later line").contains("at line 9"));
            assertThat(r.forwarded).as(sql).doesNotContain("pwned");
        }
    }

    @Test
    void metaCommand_should_beRefused_when_anEscapeStringContinuesAfterACarriageReturn() throws IOException {
        // Within one line, psql and the server agree: E'a'\r'\'' is one E'' string, and the backslash after it is code.
        Result r = scan(HEAD + "SELECT E'a'\r'\\'' \\! touch /tmp/pwned '\n;\n" + TAIL, 3);

        assertThat(r.scanner.refusal()).contains("psql meta-command \\! at line 8");
    }

    @Test
    void dollarSign_should_beRefused_when_itFollowsANumber() throws IOException {
        Result r = scan(HEAD + "SELECT 1$a$ ' $a$ \\! touch /tmp/pwned ';\n" + TAIL, 6);

        assertThat(r.scanner.refusal()).hasValueSatisfying(m -> assertThat(m).contains("after a number"));
    }

    @Test
    void backslashes_should_pass_when_insideQuotesBodiesCommentsOrIdentifiers() throws IOException {
        String sql = String.join("\n", "SELECT E'it\\'s \\\\! fine', '\\d+', \"we\\ird\";",
                "/* block \\! comment */ SELECT 1;", "CREATE FUNCTION h() RETURNS int AS $body$", "\\! inside a body",
                "$body$ LANGUAGE sql;", "");

        Result r = scan(HEAD + sql + TAIL, 1);

        assertThat(r.scanner.refusal()).isEmpty();
    }

    @Test
    void restrict_should_beRefused_when_itComesAfterSqlOrTwice() throws IOException {
        assertThat(scan("SELECT 1;\n\\restrict " + KEY + "\n", 4).scanner.refusal())
                .hasValueSatisfying(m -> assertThat(m).contains("\\restrict after the dump's first statement"));
        assertThat(scan(HEAD + "\\restrict " + KEY + "\n", 4).scanner.refusal()).isPresent();
        assertThat(scan(HEAD + BODY + "\\unrestrict OtherKey123\n", 4).scanner.refusal())
                .hasValueSatisfying(m -> assertThat(m).contains("key differs"));
    }

    @Test
    void refusal_should_beTheSame_whateverTheChunking() throws IOException {
        String dump = HEAD + BODY + "SELECT 'x'; \\copy t to '/tmp/x'\n" + TAIL;
        Result whole = scan(dump, dump.length());

        for (int chunk : new int[] {1, 2, 3, 5, 7, 64, 4096}) {
            Result r = scan(dump, chunk);
            assertThat(r.scanner.refusal()).as("chunk " + chunk).isEqualTo(whole.scanner.refusal());
            assertThat(r.forwarded).as("chunk " + chunk).isEqualTo(whole.forwarded);
        }
        assertThat(whole.scanner.refusal()).contains("psql meta-command \\copy at line " + ((HEAD + BODY).lines().count() + 1));
    }

    @Test
    void finish_should_refuseABackslashLine_when_theStreamEndsWithoutANewline() throws IOException {
        Result r = scan(HEAD + "\\! touch /tmp/pwned", 4);

        assertThat(r.scanner.refusal()).contains("psql meta-command \\! at line 8");
        assertThat(r.forwarded).doesNotContain("\\!");
    }

    @Test
    void refusal_should_nameTheCommand_when_multiByteCharactersPrecedeItOnItsLine() throws IOException {
        // The column of the backslash is counted in bytes; the report must still show the command itself.
        Result r = scan(HEAD + "SELECT 'éé'; \\gexec\n" + TAIL, 5);

        assertThat(r.scanner.refusal()).contains("psql meta-command \\gexec at line 8");
        assertThat(r.scanner.refusalLine()).isEqualTo(8);
    }

    @Test
    void refusal_should_shortenTheCommand_only_when_itIsLongerThan20Characters() throws IOException {
        String twenty = "\\" + "a".repeat(19);
        String longer = "\\" + "b".repeat(20);

        assertThat(scan(HEAD + "SELECT 1; " + twenty + " x\n", 7).scanner.refusal()).contains("psql meta-command " + twenty
                + " at line 8");
        assertThat(scan(HEAD + longer + "\n", 7).scanner.refusal()).contains("psql meta-command " + longer.substring(0, 20)
                + "… at line 8");
    }

    @Test
    void finish_should_refuseABackslashAfterSql_when_theStreamEndsWithoutANewline() throws IOException {
        Result r = scan(HEAD + "SELECT 1; \\! touch /tmp/pwned", 4);

        assertThat(r.scanner.refusal()).contains("psql meta-command \\! at line 8");
        assertThat(r.forwarded).isEqualTo(HEAD.replace("\\restrict " + KEY, "") + "SELECT 1; ");
    }

    @Test
    void restrictLine_should_pass_upToTheMetaLineLimit_and_beRefusedBeyondIt() throws IOException {
        // A restrict line is kept whole up to 1,024 bytes; a longer one cannot be judged and is refused.
        String fits = "\\restrict " + "K".repeat(1024 - 10);
        String tooLong = "\\restrict " + "K".repeat(1025 - 10);

        assertThat(scan(fits + "\nSELECT 1;\n", 100).scanner.refusal()).isEmpty();
        assertThat(scan(fits + "\nSELECT 1;\n", 100).scanner.restrictUnclosed()).isTrue();
        assertThat(scan(tooLong + "\nSELECT 1;\n", 100).scanner.refusal()).contains("psql meta-command \\ at line 1");
        assertThat(scan(tooLong + "\nSELECT 1;\n", 100).forwarded).isEmpty();
        // At the end of the stream as at a line end.
        assertThat(scan(tooLong, 100).scanner.refusal()).contains("psql meta-command \\ at line 1");
    }

    @Test
    void sqlLine_should_beKeptWhole_when_longerThanTheMetaLineLimit() throws IOException {
        // A COPY header of many columns is longer than any restrict line, and must still be read.
        String columns = String.join(", ", java.util.Collections.nCopies(300, "\"column name\""));
        String dump = HEAD + "COPY public.wide (" + columns + ") FROM stdin;\n1\n\\.\n" + TAIL;

        Result r = scan(dump, 512);

        assertThat(r.scanner.refusal()).isEmpty();
        assertThat(r.scanner.rowsByTable()).containsEntry("public.wide", 1L);
    }

    @Test
    void unrestrict_should_beRefused_when_noRestrictCameBefore() throws IOException {
        Result r = scan("SELECT 1;\n\\unrestrict " + KEY + "\n", 4);

        assertThat(r.scanner.refusal()).contains("\\unrestrict without an opening \\restrict at line 2");
        assertThat(r.scanner.restrictUnclosed()).isFalse();
        assertThat(r.forwarded).isEqualTo("SELECT 1;\n");
    }

    @Test
    void restrictUnclosed_should_beTrue_untilTheUnrestrictLine() throws IOException {
        assertThat(scan(HEAD + BODY, 9).scanner.restrictUnclosed()).isTrue();
        assertThat(scan(HEAD + BODY + TAIL, 9).scanner.restrictUnclosed()).isFalse();
        assertThat(scan(BODY, 9).scanner.restrictUnclosed()).isFalse();
        assertThat(scan(BODY, 9).scanner.refusalLine()).isZero();
    }

    @Test
    void forwarding_should_stop_when_psqlsInputFailsAtARestrictLine() throws IOException {
        // The blank line that stands for pg_dump's \restrict cannot be written: psql is gone, so nothing more
        // is written to it either, and the scan itself goes on.
        List<String> writes = new ArrayList<>();
        OutputStream psql = new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("single bytes are never written");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                String text = new String(b, off, len, StandardCharsets.UTF_8);
                if (text.equals("\n") && writes.size() == 1) {
                    throw new IOException("broken pipe");
                }
                writes.add(text);
            }
        };
        PlainDumpScanner scanner = PlainDumpScanner.forwardingTo(psql);
        byte[] dump = DUMP.getBytes(StandardCharsets.UTF_8);

        scanner.update(dump, 0, dump.length);
        scanner.finish();

        assertThat(writes).containsExactly(HEAD.substring(0, HEAD.indexOf("\\restrict")));
        assertThat(scanner.refusal()).isEmpty();
        assertThat(scanner.rowsByTable()).containsEntry("public.t", 2L);
    }

    private record Result(PlainDumpScanner scanner, String forwarded) {
    }

    @Test
    void settingPsqlsLexerFollows_should_beRefusedAtItsLineEnd_soPsqlLexesNoLineUnderIt() throws IOException {
        // psql re-reads standard_conforming_strings before each line: with it off, '\' ' is one string and
        // the \! after it code to psql, while a lexer with it on sees the \! inside a string.
        String switched = "SET standard_conforming_strings = off;\nSELECT '\\' ' \\! touch /tmp/pwned '\n;\n";
        String dump = HEAD + switched + BODY + TAIL;

        for (int chunk : new int[] {1, 7, dump.length()}) {
            Result r = scan(dump, chunk);

            assertThat(r.scanner.refusal()).contains("SQL naming standard_conforming_strings other than pg_dump's own "
                    + "SET line (psql would read the lines after it differently from this check) at line 8");
            assertThat(r.forwarded).isEqualTo(HEAD.replace("\\restrict " + KEY, "") + "SET standard_conforming_strings = off;");
        }
    }

    @Test
    void settingPsqlsLexerFollows_should_beRefused_inEveryFormTheTextShows() throws IOException {
        for (String line : new String[] {
                "SELECT pg_catalog.set_config('standard_conforming_strings', 'off', false);",
                "SET SESSION STANDARD_CONFORMING_STRINGS TO off;",
                "SET \"standard_conforming_strings\" = on; SELECT 1;",
                "SET client_encoding = 'SJIS';",
                "SET client_encoding = 'UTF8'; SET client_encoding = 'BIG5';",
                "UPDATE pg_settings SET setting = 'GBK' WHERE name = 'client_encoding';",
                "-- " + "x".repeat(300_000) + " client_encoding"}) {
            Result r = scan(HEAD + line + "\n" + BODY + TAIL, 4096);

            assertThat(r.scanner.refusal()).as(line).hasValueSatisfying(m -> assertThat(m).startsWith("SQL naming ")
                    .endsWith(" at line 8"));
        }
    }

    @Test
    void pgDumpsOwnSettingLines_should_pass_inEveryServerEncoding() throws IOException {
        for (String encoding : new String[] {"UTF8", "SQL_ASCII", "LATIN1", "LATIN10", "WIN1252", "WIN866", "KOI8R",
                "ISO_8859_5", "EUC_JP", "EUC_JIS_2004", "MULE_INTERNAL"}) {
            String dump = HEAD.replace("SET standard_conforming_strings = on;",
                    "SET client_encoding = '" + encoding + "';\r\nSET standard_conforming_strings = on;\r") + BODY + TAIL;

            assertThat(scan(dump, 5).scanner.refusal()).as(encoding).isEmpty();
        }
        assertThat(scan(HEAD + "SET client_encoding = 'LATIN11';\n" + BODY + TAIL, 5).scanner.refusal()).isPresent();
        // A last line without its line feed is judged at the end of the stream, as every other line is.
        assertThat(scan(HEAD + BODY + "SET client_encoding = 'SJIS';", 5).scanner.refusal())
                .hasValueSatisfying(m -> assertThat(m).startsWith("SQL naming client_encoding "));
        // Split by a line feed it is no name, to psql or the server (a syntax error), so nothing to refuse.
        assertThat(scan(HEAD + "SET standard_conforming_\nstrings = off;\n" + BODY + TAIL, 5).scanner.refusal()).isEmpty();
    }

    private static Result scan(String text, int chunk) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream psql = new ByteArrayOutputStream();
        PlainDumpScanner scanner = PlainDumpScanner.forwardingTo(psql);
        for (int off = 0; off < bytes.length; off += chunk) {
            scanner.update(bytes, off, Math.min(chunk, bytes.length - off));
        }
        scanner.finish();
        return new Result(scanner, psql.toString(StandardCharsets.UTF_8));
    }
}
