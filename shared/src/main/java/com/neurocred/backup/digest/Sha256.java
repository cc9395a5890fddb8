package com.neurocred.backup.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the checksum of every stored object (dumps, base archives, WAL segments) and of every file in a
 * base backup's manifest: one place that makes the digest and spells its hex form.
 */
public final class Sha256 {
    private Sha256() {
    }

    /** A new digest; every Java runtime is required to have SHA-256. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }

    /** Lower-case hex of what the digest has seen (and resets it). */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Base64 of the SHA-256 of {@code length} bytes of {@code data}: the form S3's checksum headers take. */
    public static String base64(byte[] data, int length) {
        MessageDigest digest = newDigest();
        digest.update(data, 0, length);
        return java.util.Base64.getEncoder().encodeToString(digest.digest());
    }

    /** Lower-case hex of the SHA-256 of {@code length} bytes of {@code data}. */
    public static String hex(byte[] data, int length) {
        MessageDigest digest = newDigest();
        digest.update(data, 0, length);
        return hex(digest);
    }
}
