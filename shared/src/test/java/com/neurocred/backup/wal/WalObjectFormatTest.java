package com.neurocred.backup.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.digest.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stored form of a WAL file: one plain gzip member whose header comment names the original's SHA-256. */
class WalObjectFormatTest {

    /** Half a 1 MB segment of WAL-like bytes: compressible runs and some noise, past the 64 KiB buffer. */
    private static byte[] segment() {
        byte[] bytes = new byte[1 << 19];
        Random random = new Random(18);
        for (int i = 0; i < bytes.length; i += 97) {
            bytes[i] = (byte) random.nextInt();
        }
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        MessageDigest digest = Sha256.newDigest();
        digest.update(bytes);
        return Sha256.hex(digest);
    }

    private static byte[] written(byte[] original, String sha256) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WalObjectFormat.write(new ByteArrayInputStream(original), out, sha256, 1);
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] stored) throws Exception {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
            return in.readAllBytes();
        }
    }

    @Test
    void write_should_produceAGzipMember_thatGunzipReads_and_whoseCommentNamesTheSha256() throws Exception {
        byte[] original = segment();
        String sha = sha256(original);

        byte[] stored = written(original, sha);

        // ID1 ID2, deflate, FCOMMENT only, MTIME 0 (the same file always gives the same object), OS unknown.
        assertThat(Arrays.copyOf(stored, 10)).containsExactly(0x1f, 0x8b, 8, 0x10, 0, 0, 0, 0, 0, 0xff);
        assertThat(new String(stored, 10, 72, StandardCharsets.ISO_8859_1)).isEqualTo("sha256=" + sha + "\0");
        assertThat(stored.length).isLessThan(original.length / 4);
        assertThat(gunzip(stored)).isEqualTo(original);
        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(stored))).contains(sha);
        try (InputStream in = WalObjectFormat.decompressing(new ByteArrayInputStream(stored))) {
            assertThat(in.readAllBytes()).isEqualTo(original);
        }
    }

    @Test
    void encode_should_giveTheSameObjectAsWrite_inOnePass() throws Exception {
        byte[] original = segment();

        WalObjectFormat.Encoded encoded = WalObjectFormat.encode(new ByteArrayInputStream(original), 1, 16);

        assertThat(encoded.sha256()).isEqualTo(sha256(original));
        assertThat(encoded.originalBytes()).isEqualTo(original.length);
        assertThat(encoded.bytes()).isEqualTo(written(original, encoded.sha256()));
        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(encoded.bytes()))).contains(encoded.sha256());
    }

    @Test
    void encode_should_storeAnEmptyFile_asAnEmptyGzipMember() throws Exception {
        WalObjectFormat.Encoded encoded = WalObjectFormat.encode(new ByteArrayInputStream(new byte[0]), 6, 0);

        assertThat(encoded.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(encoded.originalBytes()).isZero();
        assertThat(gunzip(encoded.bytes())).isEmpty();
    }

    @Test
    void decompressing_should_fail_when_theTrailerDoesNotMatchTheContent() throws Exception {
        byte[] stored = written("some WAL".getBytes(StandardCharsets.US_ASCII), "0".repeat(64));
        stored[stored.length - 1] ^= 1; // the length in the trailer

        assertThatThrownBy(() -> {
            try (InputStream in = WalObjectFormat.decompressing(new ByteArrayInputStream(stored))) {
                in.readAllBytes();
            }
        }).isInstanceOf(ZipException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", ""})
    void write_should_refuse_anythingButALowercaseHexSha256(String sha) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> WalObjectFormat.write(new ByteArrayInputStream(new byte[1]), out, sha, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a lowercase hex SHA-256: " + sha);
        assertThat(out.size()).as("nothing written").isZero();
    }

    @Test
    void readSha256_should_giveNothing_forAPlainGzipFile_asCpOrGzipWouldStoreIt() throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(plain)) {
            gz.write(segment());
        }

        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(plain.toByteArray()))).isEmpty();
        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(segment()))).as("not gzip at all").isEmpty();
        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(new byte[0]))).isEmpty();
    }

    /** A header as this format writes it, with the fixed part changed at {@code index}. */
    private static byte[] headerWith(int index, int value) throws Exception {
        byte[] stored = written(new byte[100], "a".repeat(64));
        stored[index] = (byte) value;
        return stored;
    }

    @Test
    void readSha256_should_readOnlyAHeaderItCanParse() throws Exception {
        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(headerWith(0, 0x1f)))).contains("a".repeat(64));
        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(headerWith(0, 0x1e)))).as("ID1").isEmpty();
        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(headerWith(1, 0x8a)))).as("ID2").isEmpty();
        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(headerWith(3, 0x00)))).as("no comment").isEmpty();
        // FHCRC, FEXTRA and FNAME put fields before the comment: the comment would be misread, so none is read.
        for (int flag : new int[] {0x02, 0x04, 0x08}) {
            assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(headerWith(3, 0x10 | flag)))).as("flag %x", flag)
                    .isEmpty();
        }
        // FTEXT (0x01) and the reserved bits say nothing about the fields before the comment.
        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(headerWith(3, 0x11)))).contains("a".repeat(64));
        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(Arrays.copyOf(headerWith(0, 0x1f), 9)))).isEmpty();
    }

    /** A gzip header with FCOMMENT and the given comment bytes, then {@code after}. */
    private static byte[] withComment(String comment, byte... after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0x10, 0, 0, 0, 0, 0, (byte) 255});
        out.writeBytes(comment.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(after);
        return out.toByteArray();
    }

    @Test
    void readSha256_should_giveNothing_forAnyOtherComment() throws Exception {
        String sha = "0123456789abcdef".repeat(4);

        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(withComment("sha256=" + sha, (byte) 0, (byte) 1))))
                .contains(sha);
        // Without its terminating zero the comment runs into what follows.
        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(withComment("sha256=" + sha, (byte) 'a')))).isEmpty();
        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(withComment("sha256=" + sha, (byte) 0x80)))).isEmpty();
        assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(withComment("sha256=" + sha)))).as("truncated")
                .contains(sha);
        for (String other : new String[] {"sha256=" + sha.toUpperCase(), "sha256=" + sha.substring(1), "sha256=" + sha + "0",
                "sha512=" + sha, sha, "x sha256=" + sha, ""}) {
            assertThat(WalObjectFormat.readSha256(new ByteArrayInputStream(withComment(other, (byte) 0)))).as(other).isEmpty();
        }
    }

    @Test
    void readSha256_should_leaveTheStreamAfterTheHeader() throws Exception {
        String sha = "0123456789abcdef".repeat(4);
        InputStream in = new ByteArrayInputStream(withComment("sha256=" + sha, (byte) 0, (byte) 7, (byte) 8));

        assertThat(WalObjectFormat.readSha256(in)).contains(sha);
        assertThat(in.readAllBytes()).containsExactly(7, 8);
    }

    @Test
    void readSha256_should_stopReading_atAnOverlongComment() throws Exception {
        // A comment that never ends (a damaged or foreign object) is not read to the end of the object.
        byte[] junk = new byte[10_000];
        Arrays.fill(junk, (byte) 'a');
        InputStream in = new ByteArrayInputStream(withComment("sha256=", junk));

        assertThat(WalObjectFormat.readSha256(in)).isEmpty();
        assertThat(in.available()).isGreaterThan(8_000);
    }
}
