package com.neurocred.backup.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompressionThreadsTest {
    @Test
    void lambda_should_countVcpusByMemory_notByWhatTheJvmSees() {
        assertThat(CompressionThreads.count(6, Optional.of("1024"), Optional.empty())).isEqualTo(1);
        assertThat(CompressionThreads.count(6, Optional.of("1769"), Optional.empty())).isEqualTo(1);
        assertThat(CompressionThreads.count(6, Optional.of("3008"), Optional.empty())).isEqualTo(2);
        assertThat(CompressionThreads.count(6, Optional.of("10240"), Optional.empty())).isEqualTo(6);
        assertThat(CompressionThreads.count(2, Optional.of("10240"), Optional.empty())).isEqualTo(2);
    }

    @Test
    void cgroupQuota_should_capTheCount() {
        assertThat(CompressionThreads.count(8, Optional.empty(), Optional.of("200000 100000\n"))).isEqualTo(2);
        assertThat(CompressionThreads.count(8, Optional.empty(), Optional.of("150000 100000"))).isEqualTo(2);
        assertThat(CompressionThreads.count(8, Optional.empty(), Optional.of("max 100000"))).isEqualTo(8);
        assertThat(CompressionThreads.count(8, Optional.empty(), Optional.of("garbage"))).isEqualTo(8);
        assertThat(CompressionThreads.count(0, Optional.empty(), Optional.empty())).isEqualTo(1);
    }
}
