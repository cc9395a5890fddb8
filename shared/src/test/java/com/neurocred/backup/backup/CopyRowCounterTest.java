package com.neurocred.backup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CopyRowCounterTest {
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
        CopyRowCounter counter = feed(DUMP, DUMP.length());

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

        CopyRowCounter counter = feed(cut, 5);

        assertThat(counter.insideCopy()).isTrue();
        assertThat(counter.footerSeen()).isFalse();
    }

    @Test
    void tableName_should_keepQuotedSpaces_when_identifierIsQuoted() {
        assertThat(CopyRowCounter.tableName("COPY s.\"a (b\" (x) FROM stdin;")).isEqualTo("s.\"a (b\"");
        assertThat(CopyRowCounter.tableName("COPY public.t FROM stdin;")).isEqualTo("public.t");
    }

    private static CopyRowCounter feed(String text, int chunk) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        CopyRowCounter counter = new CopyRowCounter();
        for (int off = 0; off < bytes.length; off += chunk) {
            counter.update(bytes, off, Math.min(chunk, bytes.length - off));
        }
        return counter;
    }
}
