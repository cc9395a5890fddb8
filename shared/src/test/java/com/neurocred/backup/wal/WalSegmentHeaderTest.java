package com.neurocred.backup.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WalSegmentHeaderTest {

    private static byte[] header(int info, long systemIdentifier, int segmentBytes) {
        ByteBuffer page = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder());
        page.putShort(0, (short) 0xD110).putShort(2, (short) info).putInt(4, 1).putLong(8, 0x3000000L);
        page.putLong(24, systemIdentifier).putInt(32, segmentBytes).putInt(36, 8192);
        return page.array();
    }

    @Test
    void parse_should_readTheSystemIdentifierAndSegmentSize_ofALongHeader() {
        assertThat(WalSegmentHeader.parse(header(0x0002, 7312345678901234567L, 16 << 20)))
                .contains(new WalSegmentHeader("7312345678901234567", 16L << 20));
        // Identifiers above Long.MAX_VALUE are unsigned in PostgreSQL.
        assertThat(WalSegmentHeader.parse(header(0x0006, -1L, 64 << 20)))
                .contains(new WalSegmentHeader("18446744073709551615", 64L << 20));
    }

    @Test
    void parse_should_giveNothing_forAPageWithoutLongHeader_orAnImpossibleSegmentSize() {
        assertThat(WalSegmentHeader.parse(header(0x0000, 1L, 16 << 20))).isEmpty();
        assertThat(WalSegmentHeader.parse(header(0x0002, 1L, 0))).isEmpty();
        assertThat(WalSegmentHeader.parse(header(0x0002, 1L, 3 << 20))).isEmpty();
        assertThat(WalSegmentHeader.parse(new byte[40])).isEmpty();
    }

    /** initdb --wal-segsize takes 1 to 1024 (MB), powers of two: the smallest and largest are plausible too. */
    @ParameterizedTest(name = "{0} MB")
    @ValueSource(ints = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024})
    void parse_should_acceptEverySegmentSizeInitdbAllows(int mb) {
        assertThat(WalSegmentHeader.parse(header(0x0002, 42L, mb << 20))).contains(new WalSegmentHeader("42", (long) mb << 20));
    }

    @ParameterizedTest
    @ValueSource(ints = {1 << 19, (1 << 20) + 1, (1 << 20) - 1, (1 << 30) - 1, Integer.MIN_VALUE, -1})
    void parse_should_giveNothing_forSizesJustOutsideWhatPostgresAllows(int bytes) {
        // 1 << 31 (Integer.MIN_VALUE) is 2 GB once read unsigned: a power of two, but past 1 GB.
        assertThat(WalSegmentHeader.parse(header(0x0002, 42L, bytes))).isEmpty();
    }

    @TempDir
    Path dir;

    @Test
    void read_should_readTheFirstPageOfASegmentFile_andGiveNothing_forShortOrMissingFiles() throws Exception {
        Path segment = dir.resolve("000000010000000000000001");
        byte[] page = Arrays.copyOf(header(0x0002, 7312345678901234567L, 1 << 30), 8192);
        Files.write(segment, page);
        Path truncated = Files.write(dir.resolve("000000010000000000000002"), Arrays.copyOf(page, 39));

        assertThat(WalSegmentHeader.read(segment)).contains(new WalSegmentHeader("7312345678901234567", 1L << 30));
        assertThat(WalSegmentHeader.read(Files.write(dir.resolve("exact"), Arrays.copyOf(page, 40))))
                .contains(new WalSegmentHeader("7312345678901234567", 1L << 30));
        assertThat(WalSegmentHeader.read(truncated)).isEmpty();
        assertThat(WalSegmentHeader.read(dir.resolve("missing"))).isEmpty();
        assertThat(WalSegmentHeader.read(dir)).isEmpty();
    }
}
