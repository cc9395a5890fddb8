package com.neurocred.backup.compress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How many threads compression should use: the CPUs this process really has. In Lambda the vCPU share
 * follows the memory setting (about one vCPU per 1,769 MB) while {@code availableProcessors()} can
 * report more; in a container a cgroup CPU quota can be lower still. The smallest of what is known wins.
 */
public final class CompressionThreads {
    /** Lambda's documented memory per full vCPU. */
    static final int LAMBDA_MB_PER_VCPU = 1769;

    private CompressionThreads() {
    }

    public static int defaultCount(Map<String, String> env) {
        return count(Runtime.getRuntime().availableProcessors(),
                Optional.ofNullable(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")), cpuMax(Path.of("/sys/fs/cgroup/cpu.max")));
    }

    static int count(int availableProcessors, Optional<String> lambdaMemoryMb, Optional<String> cgroupCpuMax) {
        int cpus = Math.max(1, availableProcessors);
        if (lambdaMemoryMb.isPresent()) {
            try {
                int mb = Integer.parseInt(lambdaMemoryMb.get().trim());
                cpus = Math.min(cpus, Math.max(1, (mb + LAMBDA_MB_PER_VCPU - 1) / LAMBDA_MB_PER_VCPU));
            } catch (NumberFormatException e) {
                // Not Lambda's number; what the JVM sees stands.
            }
        }
        return Math.min(cpus, quota(cgroupCpuMax).orElse(Integer.MAX_VALUE));
    }

    /** cgroup v2 {@code cpu.max}: "max 100000" (no limit) or "200000 100000" (two CPUs). */
    static Optional<Integer> quota(Optional<String> cpuMax) {
        if (cpuMax.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = cpuMax.get().trim().split("\\s+");
        if (parts.length != 2 || parts[0].equals("max")) {
            return Optional.empty();
        }
        try {
            long quota = Long.parseLong(parts[0]);
            long period = Long.parseLong(parts[1]);
            return period > 0 ? Optional.of((int) Math.max(1, (quota + period - 1) / period)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The cgroup's {@code cpu.max} file, when there is one to read. */
    static Optional<String> cpuMax(Path file) {
        try {
            return Files.isReadable(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
