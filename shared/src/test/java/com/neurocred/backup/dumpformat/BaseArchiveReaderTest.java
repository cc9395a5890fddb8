package com.neurocred.backup.dumpformat;

import static com.neurocred.backup.dumpformat.TarBytes.archive;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BaseArchiveReaderTest {
    /** More than the read-ahead buffers hold (a few 256 KiB chunks), so only a drain reaches the end. */
    private static final int BEYOND_READ_AHEAD = 3 << 20;

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] incompressible(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    @Test
    void read_should_feedEveryMemberAndHashTheStoredBytes_when_theArchiveIsIntact() throws IOException {
        byte[] stored = gzip(archive().file("backup_label", "label").file("base/1/1259", incompressible(200_000)).end().bytes());
        TarBytes.Recorder recorder = new TarBytes.Recorder();
        TarStreamParser parser = new TarStreamParser(recorder);
        AtomicInteger blocks = new AtomicInteger();

        BaseArchiveReader.Read read = BaseArchiveReader.read(new ByteArrayInputStream(stored), parser, blocks::incrementAndGet);

        assertThat(read).isEqualTo(new BaseArchiveReader.Read(stored.length, sha256(stored),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty()));
        assertThat(parser.ended()).isTrue();
        assertThat(recorder.events).hasSize(4).startsWith("start backup_label", "end backup_label: label");
        // Asked before every block it was given: the 200 kB file takes more than one.
        assertThat(blocks.get()).isGreaterThan(1);
    }

    @Test
    void read_should_hashTheWholeObject_when_theTarParserRefusesItEarly() throws IOException {
        byte[] header = TarBytes.fileHeader("a", 0);
        header[0] = 'b';
        byte[] stored = gzip(concat(header, incompressible(BEYOND_READ_AHEAD)));

        BaseArchiveReader.Read read = BaseArchiveReader.read(new ByteArrayInputStream(stored),
                new TarStreamParser(new TarBytes.Recorder()), () -> { });

        assertThat(read.inflateError())
                .contains("the tar archive is damaged after 0 members (0 bytes in): header checksum mismatch");
        assertThat(read.storedBytes()).isEqualTo(stored.length);
        assertThat(read.sha256()).isEqualTo(sha256(stored));
        assertThat(read.sourceFailure()).isEmpty();
        assertThat(read.stoppedBy()).isEmpty();
    }

    @Test
    void read_should_reportTheInflateError_when_theCompressedStreamIsCorrupt() throws IOException {
        byte[] stored = gzip(archive().file("a", incompressible(100_000)).end().bytes());
        byte[] truncated = Arrays.copyOf(stored, stored.length / 2);

        BaseArchiveReader.Read read = BaseArchiveReader.read(new ByteArrayInputStream(truncated),
                new TarStreamParser(new TarBytes.Recorder()), () -> { });

        assertThat(read.inflateError()).contains("Unexpected end of ZLIB input stream");
        assertThat(read.storedBytes()).isEqualTo(truncated.length);
        assertThat(read.sha256()).isEqualTo(sha256(truncated));
        assertThat(read.sourceFailure()).isEmpty();
    }

    @Test
    void read_should_stopAtOnceWithoutAVerdict_when_theCheckSaysStop() throws IOException {
        byte[] stored = gzip(archive().file("a", "x").end().bytes());
        TarStreamParser parser = new TarStreamParser(new TarBytes.Recorder());

        BaseArchiveReader.Read read = BaseArchiveReader.read(new ByteArrayInputStream(stored), parser, () -> {
            throw new BaseArchiveReader.Stop("stopped after 840 s: out of time");
        });

        assertThat(read.stoppedBy()).contains("stopped after 840 s: out of time");
        assertThat(read.sha256()).isNull();
        assertThat(read.inflateError()).isEmpty();
        assertThat(read.sourceFailure()).isEmpty();
        assertThat(parser.entries()).isZero();
    }

    /** The stored bytes, then the store fails (a dropped connection, say). */
    private static InputStream failingAfter(byte[] bytes) {
        return new SequenceInputStream(new ByteArrayInputStream(bytes), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Connection reset");
            }
        });
    }

    @Test
    void read_should_tellAStoreFailureFromDamage_when_theSourceFailsWhileInflating() throws IOException {
        byte[] stored = gzip(archive().file("a", incompressible(100_000)).end().bytes());

        BaseArchiveReader.Read read = BaseArchiveReader.read(failingAfter(Arrays.copyOf(stored, 1000)),
                new TarStreamParser(new TarBytes.Recorder()), () -> { });

        assertThat(read.sourceFailure()).get().extracting(Throwable::getMessage).isEqualTo("Connection reset");
        // The decompressor saw the same failure; sourceFailure is what tells it from a damaged archive.
        assertThat(read.inflateError()).contains("Connection reset");
        assertThat(read.stoppedBy()).isEmpty();
    }

    @Test
    void read_should_reportTheSourceFailureAndNoChecksum_when_theSourceFailsWhileDraining() throws IOException {
        // An intact archive, then more than the decompressor reads, then a failure: it is met while draining.
        byte[] archive = gzip(archive().file("a", "x").end().bytes());
        byte[] stored = concat(archive, new byte[BEYOND_READ_AHEAD]);
        TarStreamParser parser = new TarStreamParser(new TarBytes.Recorder());

        BaseArchiveReader.Read read = BaseArchiveReader.read(failingAfter(stored), parser, () -> { });

        assertThat(parser.ended()).isTrue();
        assertThat(read.inflateError()).isEmpty();
        assertThat(read.sha256()).isNull();
        assertThat(read.sourceFailure()).get().extracting(Throwable::getMessage).isEqualTo("Connection reset");
        assertThat(read.stoppedBy()).isEmpty();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
