package com.neurocred.backup.verify;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 and length of everything read through it. Closing it leaves the source open (the caller
 * drains the rest for the checksum even after a decompressor gave up), and a failure of the source
 * itself is remembered, so it is not mistaken for a corrupt compressed stream.
 */
final class HashingInputStream extends FilterInputStream {
    private final MessageDigest digest;
    private long count;
    private IOException sourceFailure;

    HashingInputStream(InputStream source) {
        super(source);
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            sourceFailure = e;
            throw e;
        }
        if (n > 0) {
            digest.update(b, off, n);
            count += n;
        }
        return n;
    }

    /** Reads what is left, so the checksum covers the whole object. */
    void drain() throws IOException {
        byte[] buf = new byte[256 * 1024];
        while (read(buf, 0, buf.length) != -1) {
            // Only the digest and count matter.
        }
    }

    @Override
    public void close() {
        // The caller owns the source.
    }

    long count() {
        return count;
    }

    String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }

    IOException sourceFailure() {
        return sourceFailure;
    }
}
