import com.github.luben.zstd.Zstd;
import com.neurocred.backup.wal.WalObjectFormat;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The CPU one WAL segment costs in each step of a push and a fetch, on one core, after warm-up: what sets the
 * ceiling of bench/wal-archive.sh's rates on a given number of cores. Run by that script over segments of its own
 * archive; java -cp neurocred-backup.jar bench/WalSegmentCost.java SEGMENT... by hand.
 */
public final class WalSegmentCost {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final int ROUNDS = 3;

    private interface Step {
        void run(byte[] segment) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        List<byte[]> segments = new ArrayList<>();
        for (String file : args) {
            segments.add(Files.readAllBytes(Path.of(file)));
        }
        List<byte[]> stored = new ArrayList<>();
        List<byte[]> zstd = new ArrayList<>();
        long storedBytes = 0;
        long zstdBytes = 0;
        long original = 0;
        for (byte[] segment : segments) {
            byte[] encoded = WalObjectFormat.encode(new ByteArrayInputStream(segment), 1, segment.length / 4).bytes();
            stored.add(encoded);
            zstd.add(Zstd.compress(segment, 1));
            storedBytes += encoded.length;
            zstdBytes += zstd.get(zstd.size() - 1).length;
            original += segment.length;
        }
        System.out.printf("| step, one segment on one core (%d segments of %d MiB, best of %d rounds) | CPU ms per segment |%n",
                segments.size(), segments.get(0).length >> 20, ROUNDS);
        System.out.println("|---|---:|");
        row("SHA-256 of the segment (push and fetch)", segments, s -> MessageDigest.getInstance("SHA-256").digest(s));
        row("CRC32 of the segment (gzip trailer)", segments, s -> new CRC32().update(s));
        row("push: hash + deflate level 1 into the stored object (WalObjectFormat.encode)", segments,
                s -> WalObjectFormat.encode(new ByteArrayInputStream(s), 1, s.length / 4));
        row("fetch: inflate + CRC32 + SHA-256 of the stored object", stored, s -> {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (var in = new java.security.DigestInputStream(
                    WalObjectFormat.decompressing(new ByteArrayInputStream(s)), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        });
        row("for comparison, not used: zstd level 1 compress (zstd-jni)", segments, s -> Zstd.compress(s, 1));
        row("for comparison, not used: zstd level 1 decompress", zstd, s -> Zstd.decompress(s, 64 << 20));
        System.out.printf("%nStored size: gzip level 1 %.1f %% of the WAL, zstd level 1 %.1f %%.%n",
                100.0 * storedBytes / original, 100.0 * zstdBytes / original);
    }

    private static void row(String what, List<byte[]> inputs, Step step) throws Exception {
        long best = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS + 1; round++) {
            long before = OS.getProcessCpuTime();
            for (byte[] input : inputs) {
                step.run(input);
            }
            long used = OS.getProcessCpuTime() - before;
            if (round > 0) {
                best = Math.min(best, used); // round 0 warms the JIT up
            }
        }
        System.out.printf("| %s | %.1f |%n", what, best / 1e6 / inputs.size());
    }
}
