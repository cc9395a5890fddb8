package com.neurocred.backup.dumpformat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        // psql continues E'a' with '\'' as an escape string: the quote after the backslash is escaped.
        String dump = HEAD + "SELECT E'a'\n'\\'' \\! touch /tmp/pwned '\n;\n" + TAIL;

        Result r = scan(dump, 3);

        assertThat(r.scanner.refusal()).hasValueSatisfying(m -> assertThat(m).contains("\\!"));
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

    private record Result(PlainDumpScanner scanner, String forwarded) {
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
