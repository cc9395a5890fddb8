package com.neurocred.backup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Certificate authorities and certificates made with openssl for TLS tests: a CA, a server certificate it
 * signs for the given DNS names, a client certificate whose CN is a database user, and an unrelated CA.
 * Keys are written 0600, as libpq requires.
 */
public final class TestCertificates {
    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A CA named {@code name} in {@code dir}: {name}.crt and {name}.key. */
    public static TestCertificates authority(Path dir, String name) {
        TestCertificates ca = new TestCertificates(dir);
        ca.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".crt").toString(),
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        ca.restrict(dir.resolve(name + ".key"));
        return ca;
    }

    /** Signs a new leaf certificate {name}.crt (RSA key {name}.key) with CA {caName}; SAN from {@code dnsNames}. */
    public Path issue(String caName, String name, String commonName, List<String> dnsNames) {
        return issue(caName, name, commonName, dnsNames, List.of("-newkey", "rsa:2048"));
    }

    /** As {@link #issue}, with a P-256 EC key (PKCS#8 PEM, as openssl 3 writes it). */
    public Path issueWithEcKey(String caName, String name, String commonName) {
        return issue(caName, name, commonName, List.of(), List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"));
    }

    private Path issue(String caName, String name, String commonName, List<String> dnsNames, List<String> newKey) {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        List<String> request = new ArrayList<>(List.of("req", "-new"));
        request.addAll(newKey);
        request.addAll(List.of("-nodes", "-subj", "/CN=" + commonName, "-keyout", key.toString(), "-out", csr.toString()));
        openssl(request.toArray(String[]::new));
        restrict(key);
        List<String> args = new ArrayList<>(List.of("x509", "-req", "-in", csr.toString(), "-CA",
                dir.resolve(caName + ".crt").toString(), "-CAkey", dir.resolve(caName + ".key").toString(),
                "-CAcreateserial", "-days", "2", "-out", cert.toString()));
        if (!dnsNames.isEmpty()) {
            Path ext = dir.resolve(name + ".ext");
            write(ext, "subjectAltName=" + String.join(",", dnsNames.stream().map(n -> "DNS:" + n).toList()) + "\n");
            args.addAll(List.of("-extfile", ext.toString()));
        }
        openssl(args.toArray(String[]::new));
        return cert;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    private void restrict(Path key) {
        try {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Processes.run(command, new byte[0], Map.of());
    }
}
