package com.neurocred.backup.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a certificate or key file the way libpq will use it, and says what is wrong with it naming the
 * variable and the path. A key's contents are read only to look at its PEM header lines, never shown.
 */
final class TlsFileCheck {
    /** Larger than any certificate bundle (AWS's RDS global bundle is about 160 KiB). */
    private static final long MAX_FILE_BYTES = 16L << 20;
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    /** Owned by root, libpq and pgJDBC also accept group read (a key shared with a group of service users). */
    private static final Set<PosixFilePermission> ROOT_OWNED_REFUSED = EnumSet.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private TlsFileCheck() {
    }

    /** A readable file holding at least one X.509 certificate. */
    static Optional<String> certificates(String variable, Path file, String whatToGive) {
        Optional<String> unusable = unusableFile(variable, file, whatToGive);
        if (unusable.isPresent()) {
            return unusable;
        }
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                return Optional.of(variable + "=" + file + " holds no certificate: " + whatToGive
                        + " (PEM, -----BEGIN CERTIFICATE----- blocks)");
            }
            return Optional.empty();
        } catch (CertificateException e) {
            return Optional.of(variable + "=" + file + " is not a PEM certificate file (" + e.getMessage() + "): "
                    + whatToGive);
        } catch (IOException e) {
            return Optional.of(variable + "=" + file + " could not be read (" + e.getMessage() + ")");
        }
    }

    /**
     * A readable, unencrypted PKCS#8 PEM private key, with an owner and mode both libpq and pgJDBC accept.
     * pgJDBC reads only {@code BEGIN PRIVATE KEY} (PKCS#8), so the older RSA and EC forms libpq also takes are
     * refused here, with the command that converts them, rather than failing half the connections later.
     */
    static Optional<String> privateKey(String variable, Path file) {
        String whatToGive = "give the PEM private key of the client certificate";
        Optional<String> unusable = unusableFile(variable, file, whatToGive)
                .or(() -> tooOpen(variable, file));
        if (unusable.isPresent()) {
            return unusable;
        }
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return Optional.of(variable + "=" + file + " could not be read (" + e.getMessage() + ")");
        }
        if (text.contains("ENCRYPTED")) {
            return Optional.of(variable + "=" + file + " is encrypted with a passphrase, which a scheduled job cannot "
                    + "type: store it unencrypted (openssl pkey -in KEY -out NEW_KEY) with mode 0600");
        }
        if (text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
            return Optional.of(variable + "=" + file + " is in the traditional RSA/EC form, which pgJDBC cannot read: "
                    + "convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt -in KEY -out NEW_KEY) and keep mode 0600");
        }
        if (PrivateKeyAlgorithm.of(file).isEmpty()) {
            return Optional.of(variable + "=" + file + " is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----) "
                    + "of an RSA, EC or EdDSA key: " + whatToGive);
        }
        return Optional.empty();
    }

    private static Optional<String> unusableFile(String variable, Path file, String whatToGive) {
        if (!Files.exists(file)) {
            return Optional.of(variable + "=" + file + " does not exist: " + whatToGive);
        }
        if (!Files.isRegularFile(file)) {
            return Optional.of(variable + "=" + file + " is not a file: " + whatToGive);
        }
        if (!Files.isReadable(file)) {
            return Optional.of(variable + "=" + file + " cannot be read by user " + System.getProperty("user.name")
                    + ": make it readable by the user the backup runs as");
        }
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                return Optional.of(variable + "=" + file + " is larger than 16 MiB: " + whatToGive);
            }
        } catch (IOException e) {
            return Optional.of(variable + "=" + file + " could not be read (" + e.getMessage() + ")");
        }
        return Optional.empty();
    }

    /**
     * libpq's rule (fe-secure-openssl.c) and pgJDBC's together: no access for group or others, except group read
     * for a key owned by root.
     */
    private static Optional<String> tooOpen(String variable, Path file) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (UnsupportedOperationException | IOException e) {
            return Optional.empty();
        }
        Set<PosixFilePermission> mode = attributes.permissions();
        String owner = attributes.owner().getName();
        Set<PosixFilePermission> refused = "root".equals(owner) ? ROOT_OWNED_REFUSED : GROUP_OR_OTHERS;
        if (mode.stream().noneMatch(refused::contains)) {
            return Optional.empty();
        }
        return Optional.of(variable + "=" + file + " is readable or writable by others (" + PosixFilePermissions.toString(mode)
                + ", owner " + owner + "), and libpq and JDBC refuse such a key: chmod 600 it (640 is accepted when root "
                + "owns it)");
    }
}
