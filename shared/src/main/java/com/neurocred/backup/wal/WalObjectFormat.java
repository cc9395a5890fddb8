package com.neurocred.backup.wal;

import com.neurocred.backup.digest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;

/**
 * How a WAL file is stored: one standard gzip member ({@code gunzip} reads it) whose header comment
 * carries {@code sha256=<hex>} of the original file. The checksum travels inside the object, so a
 * local directory, which has no object metadata, is as checkable as S3 (where it is also object
 * metadata); gzip's own CRC32 and length check the decompression on top.
 */
public final class WalObjectFormat {
    public static final String SUFFIX = ".gz";
    private static final String COMMENT_PREFIX = "sha256=";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int FLAG_COMMENT = 0x10;
    private static final int HEADER_LIMIT = 1024;
    private static final int BUFFER = 64 * 1024;

    private WalObjectFormat() {
    }

    /** Compresses {@code in} into {@code out} as one gzip member that names the original's SHA-256. */
    public static void write(InputStream in, OutputStream out, String sha256, int level) throws IOException {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lowercase hex SHA-256: " + sha256);
        }
        writeHeader(out, COMMENT_PREFIX + sha256);
        Body body = deflate(in, out, level, null);
        writeTrailer(out, body);
    }

    /** What a deflated body covered: the original's CRC32 and length, for the gzip trailer. */
    private record Body(long crc32, long length) {
    }

    /** Raw deflate of {@code in} into {@code out}, with the CRC32 (and SHA-256 when a digest is given) of the input. */
    private static Body deflate(InputStream in, OutputStream out, int level, java.security.MessageDigest digest)
            throws IOException {
        Deflater deflater = new Deflater(level, true);
        CRC32 crc = new CRC32();
        long length = 0;
        try {
            DeflaterOutputStream deflate = new DeflaterOutputStream(new com.neurocred.backup.compress.NonClosingOutputStream(out),
                    deflater, BUFFER);
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) != -1) {
                crc.update(buf, 0, n);
                if (digest != null) {
                    digest.update(buf, 0, n);
                }
                deflate.write(buf, 0, n);
                length += n;
            }
            deflate.finish();
        } finally {
            deflater.end();
        }
        return new Body(crc.getValue(), length);
    }

    private static void writeTrailer(OutputStream out, Body body) throws IOException {
        writeIntLe(out, (int) body.crc32());
        writeIntLe(out, (int) body.length());
    }

    /** An encoded object and the SHA-256 of the original it holds. */
    public record Encoded(byte[] bytes, String sha256, long originalBytes) {
    }

    /**
     * Encodes in one pass over {@code in}, for objects small enough to hold in memory: the deflate body
     * is produced while hashing, and the header, which names the hash, is put in front afterwards.
     */
    public static Encoded encode(InputStream in, int level, int sizeHint) throws IOException {
        java.security.MessageDigest digest = Sha256.newDigest();
        java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream(Math.max(1024, sizeHint));
        Body body = deflate(in, compressed, level, digest);
        String sha256 = Sha256.hex(digest);
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream(compressed.size() + 128);
        writeHeader(whole, COMMENT_PREFIX + sha256);
        compressed.writeTo(whole);
        writeTrailer(whole, body);
        return new Encoded(whole.toByteArray(), sha256, body.length());
    }

    private static void writeHeader(OutputStream out, String comment) throws IOException {
        // ID1 ID2 CM=deflate FLG=FCOMMENT MTIME=0 (reproducible) XFL=0 OS=unknown
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, FLAG_COMMENT, 0, 0, 0, 0, 0, (byte) 255});
        out.write(comment.getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
    }

    /**
     * The SHA-256 a stored object's header names; empty for an object this system did not write (a
     * file copied in by {@code cp %p}). The stream is left positioned after the header.
     */
    public static Optional<String> readSha256(InputStream in) throws IOException {
        byte[] fixed = in.readNBytes(10);
        if (fixed.length < 10 || (fixed[0] & 0xff) != 0x1f || (fixed[1] & 0xff) != 0x8b
                || (fixed[3] & FLAG_COMMENT) == 0 || (fixed[3] & 0x0e) != 0) {
            return Optional.empty();
        }
        StringBuilder comment = new StringBuilder();
        int b;
        while ((b = in.read()) > 0 && comment.length() < HEADER_LIMIT) {
            comment.append((char) b);
        }
        String text = comment.toString();
        return text.startsWith(COMMENT_PREFIX) && SHA256.matcher(text.substring(COMMENT_PREFIX.length())).matches()
                ? Optional.of(text.substring(COMMENT_PREFIX.length())) : Optional.empty();
    }

    /** The original bytes of a stored object; gzip's CRC32 and length are checked at its end. */
    public static InputStream decompressing(InputStream stored) throws IOException {
        return new GZIPInputStream(stored, BUFFER);
    }

    private static void writeIntLe(OutputStream out, int v) throws IOException {
        out.write(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
    }
}
