package com.neurocred.backup.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

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
}
