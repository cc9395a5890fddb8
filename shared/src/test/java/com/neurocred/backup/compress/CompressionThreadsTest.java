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

    @Test
    void lambda_should_readTheMemorySettingPadded_andIgnoreOneThatIsNotANumber() {
        assertThat(CompressionThreads.count(6, Optional.of(" 3538 "), Optional.empty())).isEqualTo(2);
        assertThat(CompressionThreads.count(6, Optional.of("3539"), Optional.empty())).isEqualTo(3);
        assertThat(CompressionThreads.count(6, Optional.of("lots"), Optional.empty())).isEqualTo(6);
        assertThat(CompressionThreads.count(6, Optional.of("64"), Optional.empty())).isEqualTo(1);
    }

    @Test
    void quota_should_roundUpToWholeCpus_andIgnoreWhatIsNotAQuota() {
        assertThat(CompressionThreads.quota(Optional.of("50000 100000"))).contains(1);
        assertThat(CompressionThreads.quota(Optional.of("100000 100000"))).contains(1);
        assertThat(CompressionThreads.quota(Optional.of("100001 100000"))).contains(2);
        assertThat(CompressionThreads.quota(Optional.of("400000 100000"))).contains(4);
        assertThat(CompressionThreads.quota(Optional.of("100000 0"))).isEmpty();
        assertThat(CompressionThreads.quota(Optional.of("200000"))).isEmpty();
        assertThat(CompressionThreads.quota(Optional.of("200000 100000 1"))).isEmpty();
        assertThat(CompressionThreads.quota(Optional.of("max 100000"))).isEmpty();
        assertThat(CompressionThreads.quota(Optional.empty())).isEmpty();
        assertThat(CompressionThreads.count(8, Optional.of("10240"), Optional.of("300000 100000"))).isEqualTo(3);
    }

    @Test
    void defaultCount_should_followLambdasMemorySetting_fromTheEnvironment() {
        assertThat(CompressionThreads.defaultCount(java.util.Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))).isEqualTo(1);
        assertThat(CompressionThreads.defaultCount(java.util.Map.of())).isBetween(1,
                Runtime.getRuntime().availableProcessors());
    }

    @Test
    void cpuMax_should_readTheCgroupFile_when_thereIsOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("cpu.max"), "200000 100000\n");

        assertThat(CompressionThreads.cpuMax(file)).contains("200000 100000\n");
        assertThat(CompressionThreads.cpuMax(dir.resolve("absent"))).isEmpty();
        // A directory is readable but no file: its read fails, and no quota is known.
        assertThat(CompressionThreads.cpuMax(dir)).isEmpty();
    }
}
