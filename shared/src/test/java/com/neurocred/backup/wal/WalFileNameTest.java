package com.neurocred.backup.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.wal.WalFileName.Kind;
import org.junit.jupiter.api.Test;

/** The one grammar of WAL file names: what PostgreSQL names them, and what the archive stores them as. */
class WalFileNameTest {

    @Test
    void parse_should_tellEachKind_andItsTimeline() {
        assertThat(WalFileName.parse("0000000A0000000100000002")).hasValueSatisfying(n -> {
            assertThat(n.kind()).isEqualTo(Kind.SEGMENT);
            assertThat(n.timeline()).isEqualTo(10);
            assertThat(n.segment()).isEqualTo("0000000A0000000100000002");
        });
        assertThat(WalFileName.parse("000000010000000100000002.partial")).get().extracting(WalFileName::kind)
                .isEqualTo(Kind.PARTIAL);
        assertThat(WalFileName.parse("000000010000000100000002.000000D8.backup")).hasValueSatisfying(n -> {
            assertThat(n.kind()).isEqualTo(Kind.BACKUP_LABEL);
            assertThat(n.segment()).isEqualTo("000000010000000100000002");
        });
        assertThat(WalFileName.parse("FFFFFFFF.history")).hasValueSatisfying(n -> {
            assertThat(n.kind()).isEqualTo(Kind.HISTORY);
            assertThat(n.timeline()).isEqualTo(-1).satisfies(t -> assertThat(Integer.toUnsignedLong(t)).isEqualTo(0xFFFFFFFFL));
            assertThat(n.hasStreamPosition()).isFalse();
        });
    }

    @Test
    void parse_should_refuseAnythingElse_soANameCanNeverLeaveTheArchive() {
        for (String bad : new String[] {"../000000010000000100000002", "000000010000000100000002/x", "00000001000000010000000",
                "000000010000000100000002.gz", "0000000100000001000000020", "000000010000000100000002.backup",
                "00000001.history.gz", "000000010000000100000002.partial.zst", "000000010000000a00000002", ""}) {
            assertThat(WalFileName.parse(bad)).as(bad).isEmpty();
        }
        assertThatThrownBy(() -> WalFileName.check("../etc/passwd")).isInstanceOf(WalArchiveException.class)
                .hasMessageContaining("is not a WAL file name");
    }

    @Test
    void parseStored_should_readCompressedAndPlainCopies() {
        assertThat(WalFileName.parseStored("000000010000000100000002.gz")).get().extracting(WalFileName::fileName)
                .isEqualTo("000000010000000100000002");
        assertThat(WalFileName.parseStored("000000010000000100000002")).isPresent();
        assertThat(WalFileName.parseStored("00000002.history.gz")).get().extracting(WalFileName::kind).isEqualTo(Kind.HISTORY);
        assertThat(WalFileName.parseStored("000000010000000100000002.gz.gz")).isEmpty();
        assertThat(WalFileName.isSegment("000000010000000100000002")).isTrue();
        assertThat(WalFileName.isSegment("000000010000000100000002.partial")).isFalse();
    }

    @Test
    void positioned_should_splitTimelineLogAndSegment_ofSegmentsPartialsAndLabels() {
        WalFileName label = WalFileName.positioned("0000000A000000FF000000C3.00000028.backup.gz");

        assertThat(label.timeline()).isEqualTo(10);
        assertThat(label.log()).isEqualTo(0xFF);
        assertThat(label.segmentInLog()).isEqualTo(0xC3);
        assertThat(label.segment()).isEqualTo("0000000A000000FF000000C3");
        assertThat(WalFileName.positioned("FFFFFFFFFFFFFFFFFFFFFFFF.partial").log()).isEqualTo(0xFFFFFFFFL);
    }

    @Test
    void positioned_should_refuseHistoryFilesAndAlteredNames_namingThem() {
        for (String bad : new String[] {"00000002.history", "0/1000000", "", "000000010000000100000002x"}) {
            assertThatThrownBy(() -> WalFileName.positioned(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "' is not the name of a WAL segment");
        }
    }
}
