package com.neurocred.backup.dumpformat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlainDumpScannerTest {
    private static final String DUMP = String.join("\n",
            "--",
            "-- PostgreSQL database dump",
            "--",
            "CREATE FUNCTION f() RETURNS void AS $$",
            "COPY fake.table (x) FROM stdin;",
            "$$ LANGUAGE sql;",
            "--",
            "-- Data for Name: customers; Type: TABLE DATA; Schema: public; Owner: postgres",
            "--",
            "",
            "COPY public.customers (id, notes) FROM stdin;",
            "1\ttab\\there\\nnew line",
            "2\t\\\\.",
            "3\t\\N",
            "\\.",
            "",
            "--",
            "-- Data for Name: Score History; Type: TABLE DATA; Schema: credit; Owner: postgres",
            "--",
            "",
            "COPY credit.\"Score History\" (\"model version\", score) FROM stdin;",
            "v1\t300",
            "\\.",
            "",
            "-- Data for Name: empty; Type: TABLE DATA; Schema: public; Owner: postgres",
            "COPY public.empty (id) FROM stdin;",
            "\\.",
            "",
            "--",
            "-- PostgreSQL database dump complete",
            "--",
            "");

    @Test
    void rowsByTable_should_countEachCopyLine_when_fedWhole() {
        PlainDumpScanner counter = feed(DUMP, DUMP.length());

        assertThat(counter.rowsByTable()).containsExactly(
                java.util.Map.entry("public.customers", 3L),
                java.util.Map.entry("credit.\"Score History\"", 1L),
                java.util.Map.entry("public.empty", 0L));
        assertThat(counter.footerSeen()).isTrue();
        assertThat(counter.insideCopy()).isFalse();
    }

    @Test
    void rowsByTable_should_beTheSame_when_fedInTinyChunks() {
        for (int chunk : new int[] {1, 2, 3, 7, 64}) {
            assertThat(feed(DUMP, chunk).rowsByTable()).as("chunk " + chunk)
                    .isEqualTo(feed(DUMP, DUMP.length()).rowsByTable());
        }
    }

    @Test
    void insideCopy_should_beTrue_when_streamEndsInTheMiddleOfData() {
        String cut = DUMP.substring(0, DUMP.indexOf("3\t\\N"));

        PlainDumpScanner counter = feed(cut, 5);

        assertThat(counter.insideCopy()).isTrue();
        assertThat(counter.footerSeen()).isFalse();
    }

    @Test
    void structure_should_beWhole_when_dumpIsComplete() {
        PlainDumpScanner scanner = feed(DUMP, 13);

        assertThat(scanner.headerSeen()).isTrue();
        assertThat(scanner.unbalancedQuoting()).isNull();
    }

    @Test
    void unbalancedQuoting_should_nameTheOpenConstruct_when_dumpIsCutInsideIt() {
        assertThat(feed("CREATE FUNCTION f() AS $body$ SELECT 1;\n", 4).unbalancedQuoting()).contains("$body$");
        assertThat(feed("COMMENT ON TABLE t IS 'it''s\n", 4).unbalancedQuoting()).isEqualTo("a string literal");
        assertThat(feed("SELECT E'a\\'b\n", 4).unbalancedQuoting()).isEqualTo("a string literal");
        assertThat(feed("CREATE TABLE \"odd\n", 4).unbalancedQuoting()).isEqualTo("a quoted identifier");
        assertThat(feed("/* a /* nested */ comment\n", 4).unbalancedQuoting()).isEqualTo("a block comment");
    }

    @Test
    void unbalancedQuoting_should_beNull_when_quotesNestAndEscapeAsPostgresAllows() {
        String sql = String.join("\n", "SELECT 'it''s', E'back\\'slash', \"we\"\"ird\", $1, a$b;",
                "CREATE FUNCTION f() RETURNS text AS $fn$ SELECT $$inner ' \" $$ $fn$;",
                "/* outer /* inner */ still */ SELECT 1; -- trailing 'quote", "");

        assertThat(feed(sql, 3).unbalancedQuoting()).isNull();
    }

    @Test
    void copyLikeLine_should_notCount_when_itIsInsideAFunctionBody() {
        String sql = String.join("\n", "-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: x",
                "CREATE FUNCTION f() AS $$", "COPY public.t (a) FROM stdin;", "1", "$$;", "");

        assertThat(feed(sql, 5).rowsByTable()).isEmpty();
    }

    @Test
    void tableName_should_keepQuotedSpaces_when_identifierIsQuoted() {
        assertThat(PlainDumpScanner.tableName("COPY s.\"a (b\" (x) FROM stdin;")).isEqualTo("s.\"a (b\"");
        assertThat(PlainDumpScanner.tableName("COPY public.t FROM stdin;")).isEqualTo("public.t");
    }

    @Test
    void copyData_should_endOnlyAtALineOfBackslashDot_orBackslashDotCarriageReturn() {
        // psql ends COPY data at "\\." or "\\.\r" alone on a line; lines that merely look alike are rows.
        String sql = String.join("\n", "COPY public.t (a) FROM stdin;", "a.", "\\", "\\x", "ab\r", "\\.x", "\\.\rx", ".",
                "\\.\r", "COPY public.u (a) FROM stdin;", "1", "\\.", "SELECT 1;", "");

        PlainDumpScanner scanner = feed(sql, 3);

        assertThat(scanner.rowsByTable()).containsExactly(java.util.Map.entry("public.t", 7L),
                java.util.Map.entry("public.u", 1L));
        assertThat(scanner.insideCopy()).isFalse();
        assertThat(scanner.openCopyTable()).isNull();
    }

    @Test
    void copyEnd_should_beFound_when_itsNewlineStartsTheNextReadBuffer() throws java.io.IOException {
        // Callers read into a buffer from offset 0: the "\\.\r" and its "\n" can arrive in two reads.
        PlainDumpScanner scanner = new PlainDumpScanner();
        byte[] first = "COPY public.t (a) FROM stdin;\n1\n\\.\r".getBytes(StandardCharsets.UTF_8);
        byte[] second = "\n-- PostgreSQL database dump complete\n".getBytes(StandardCharsets.UTF_8);

        scanner.update(first, 0, first.length);
        scanner.update(second, 0, second.length);

        assertThat(scanner.rowsByTable()).containsExactly(java.util.Map.entry("public.t", 1L));
        assertThat(scanner.insideCopy()).isFalse();
        assertThat(scanner.footerSeen()).isTrue();
    }

    @Test
    void headerSeen_should_requireTheOpeningCommentInTheFirstTenLines() {
        String header = "-- PostgreSQL database dump\n";

        assertThat(feed("\n".repeat(9) + header, 4).headerSeen()).isTrue();
        assertThat(feed("\n".repeat(10) + header, 4).headerSeen()).isFalse();
        assertThat(feed("SELECT 1;\n", 4).headerSeen()).isFalse();
        assertThat(feed("SELECT 1;\n", 4).footerSeen()).isFalse();
    }

    @Test
    void tableName_should_runToTheEnd_when_noSpaceFollowsTheName() {
        assertThat(PlainDumpScanner.tableName("COPY \"a b\"")).isEqualTo("\"a b\"");
    }

    private static PlainDumpScanner feed(String text, int chunk) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        PlainDumpScanner counter = new PlainDumpScanner();
        try {
            for (int off = 0; off < bytes.length; off += chunk) {
                counter.update(bytes, off, Math.min(chunk, bytes.length - off));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return counter;
    }
}
