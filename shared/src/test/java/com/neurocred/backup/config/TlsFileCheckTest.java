package com.neurocred.backup.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.TestCertificates;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a certificate or key file can be unusable, as the message names it: variable, path, what to give. */
class TlsFileCheckTest {
    private static final String GIVE_CA = "give the PEM file of the CAs";
    private static final String GIVE_KEY = "give the PEM private key of the client certificate";

    @TempDir
    static Path pki;
    @TempDir
    Path temp;

    @BeforeAll
    static void makeCertificates() {
        TestCertificates.authority(pki, "ca").issue("ca", "client", "backup", List.of());
    }

    @Test
    void certificates_should_acceptAPemCertificateFile() {
        assertThat(TlsFileCheck.certificates("DB_SSLROOTCERT", pki.resolve("ca.crt"), GIVE_CA)).isEmpty();
    }

    @Test
    void certificates_should_sayWhatIsWrong_withTheVariableAndThePath() throws Exception {
        Path directory = Files.createDirectories(temp.resolve("certs"));
        Path empty = Files.createFile(temp.resolve("empty.pem"));
        Path missing = temp.resolve("missing.pem");

        assertThat(TlsFileCheck.certificates("DB_SSLROOTCERT", missing, GIVE_CA))
                .contains("DB_SSLROOTCERT=" + missing + " does not exist: " + GIVE_CA);
        assertThat(TlsFileCheck.certificates("DB_SSLROOTCERT", directory, GIVE_CA))
                .contains("DB_SSLROOTCERT=" + directory + " is not a file: " + GIVE_CA);
        assertThat(TlsFileCheck.certificates("DB_SSLCERT", empty, GIVE_CA))
                .contains("DB_SSLCERT=" + empty + " holds no certificate: " + GIVE_CA
                        + " (PEM, -----BEGIN CERTIFICATE----- blocks)");
    }

    @Test
    void certificates_should_readAFileOfExactly16MiB_andRefuseALargerOne() throws Exception {
        Path limit = sized(temp.resolve("limit.pem"), 16L << 20);
        Path over = sized(temp.resolve("over.pem"), (16L << 20) + 1);

        assertThat(TlsFileCheck.certificates("DB_SSLROOTCERT", over, GIVE_CA))
                .contains("DB_SSLROOTCERT=" + over + " is larger than 16 MiB: " + GIVE_CA);
        // At the limit the file is read, and found to hold no certificate.
        assertThat(TlsFileCheck.certificates("DB_SSLROOTCERT", limit, GIVE_CA)).hasValueSatisfying(problem ->
                assertThat(problem).startsWith("DB_SSLROOTCERT=" + limit + " ").doesNotContain("larger than"));
    }

    private static Path sized(Path file, long size) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    @Test
    void privateKey_should_acceptAPkcs8KeyOnlyItsOwnerCanRead() {
        assertThat(TlsFileCheck.privateKey("DB_SSLKEY", pki.resolve("client.key"))).isEmpty();
    }

    @Test
    void privateKey_should_nameTheVariableAndPath_when_theFileIsMissingOrNotAKey() throws Exception {
        Path missing = temp.resolve("missing.key");
        Path certificate = Files.copy(pki.resolve("client.crt"), temp.resolve("cert-as.key"));
        Files.setPosixFilePermissions(certificate, PosixFilePermissions.fromString("rw-------"));

        assertThat(TlsFileCheck.privateKey("DB_SSLKEY", missing))
                .contains("DB_SSLKEY=" + missing + " does not exist: " + GIVE_KEY);
        assertThat(TlsFileCheck.privateKey("VERIFY_DB_SSLKEY", certificate))
                .contains("VERIFY_DB_SSLKEY=" + certificate + " is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----) "
                        + "of an RSA, EC or EdDSA key: " + GIVE_KEY);
    }

    @Test
    void privateKey_should_refuseAnyAccessForOthers_andGroupWriteOrExecute() throws Exception {
        for (String mode : new String[] {"rw-----w-", "rw------x", "rw-r--r--", "rw--w----", "rw---x---"}) {
            Path key = Files.copy(pki.resolve("client.key"), temp.resolve(mode + ".key"));
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(mode));

            assertThat(TlsFileCheck.privateKey("DB_SSLKEY", key)).as(mode).hasValueSatisfying(problem -> assertThat(problem)
                    .startsWith("DB_SSLKEY=" + key + " is readable or writable by others (" + mode + ", owner ")
                    .endsWith("chmod 600 it (640 is accepted when root owns it)"));
        }
        Path ownerOnly = Files.copy(pki.resolve("client.key"), temp.resolve("owner-only.key"));
        Files.setPosixFilePermissions(ownerOnly, PosixFilePermissions.fromString("r--------"));
        assertThat(TlsFileCheck.privateKey("DB_SSLKEY", ownerOnly)).isEmpty();
    }

    @Test
    void privateKey_should_nameTheVariableAndTheError_when_readingTheFileFails() {
        // Linux's /proc/self/mem is a regular file of mode 0600 whose first bytes (address 0) cannot be read.
        Path unreadable = Path.of("/proc/self/mem");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(unreadable) && Files.isReadable(unreadable));

        assertThat(TlsFileCheck.privateKey("DB_SSLKEY", unreadable)).hasValueSatisfying(problem -> assertThat(problem)
                .startsWith("DB_SSLKEY=/proc/self/mem could not be read (").endsWith(")"));
    }
}
