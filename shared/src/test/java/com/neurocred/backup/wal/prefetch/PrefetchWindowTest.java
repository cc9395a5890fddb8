package com.neurocred.backup.wal.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrefetchWindowTest {
    private static final long MB = 1L << 20;

    @Test
    void segments_should_crossIntoTheNextLog_afterSegmentFF_with16MbSegments() {
        PrefetchWindow window = new PrefetchWindow("0000000100000001000000FE", 4, 16 * MB);

        assertThat(window.segments()).containsExactly("0000000100000001000000FF", "000000010000000200000000",
                "000000010000000200000001", "000000010000000200000002");
    }

    @Test
    void segments_should_crossIntoTheNextLog_afterSegment3F_with64MbSegments() {
        PrefetchWindow window = new PrefetchWindow("00000001000000010000003E", 3, 64 * MB);

        assertThat(window.segments()).containsExactly("00000001000000010000003F", "000000010000000200000000",
                "000000010000000200000001");
        // Names a 16 MB cluster would have next do not exist with 64 MB segments.
        assertThat(window.contains("000000010000000100000040")).isFalse();
    }

    @Test
    void window_should_beRefused_whenTheSegmentCannotExistWithTheSize() {
        assertThatThrownBy(() -> new PrefetchWindow("000000010000000100000040", 8, 64 * MB))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 MB");
        assertThatThrownBy(() -> new PrefetchWindow("00000001.history", 8, 16 * MB))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a WAL segment name");
    }

    @Test
    void taken_should_moveTheWindowForward_butNeverBack() {
        PrefetchWindow window = new PrefetchWindow("000000010000000000000010", 2, 16 * MB);

        assertThat(window.taken("000000010000000000000012").segments())
                .containsExactly("000000010000000000000013", "000000010000000000000014");
        assertThat(window.taken("00000001000000000000000F")).isEqualTo(window);
        assertThat(window.taken("000000010000000000000010")).isEqualTo(window);
    }

    @Test
    void window_should_followTheNewTimeline_afterASwitch() {
        PrefetchWindow onFirst = new PrefetchWindow("000000010000000000000004", 3, 16 * MB);

        PrefetchWindow onSecond = new PrefetchWindow("000000020000000000000005", 3, 16 * MB);

        assertThat(onSecond.segments()).containsExactly("000000020000000000000006", "000000020000000000000007",
                "000000020000000000000008");
        // What was fetched ahead on the old timeline is outside the new window, so it is discarded.
        assertThat(onFirst.segments()).noneMatch(onSecond::contains);
    }

    @Test
    void isAtOrPast_should_holdOnlyOnTheMissingSegmentsTimeline() {
        PrefetchWindow window = new PrefetchWindow("000000010000000000000004", 8, 16 * MB);
        String end = "000000010000000000000007";

        assertThat(window.isAtOrPast("000000010000000000000006", end)).isFalse();
        assertThat(window.isAtOrPast("000000010000000000000007", end)).isTrue();
        assertThat(window.isAtOrPast("000000010000000000000009", end)).isTrue();
        assertThat(window.isAtOrPast("000000020000000000000009", end)).isFalse();
    }
}
