package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import com.neurocred.backup.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to the database as operators set it up: a server with {@code ssl=on} whose certificate (for
 * "localhost") is signed by a CA the test makes, plain connections refused and {@code cert} authentication
 * for one user. Backups, verification with the restore test, base backups and wal-push run over verify-full
 * with that CA named in DB_SSLROOTCERT; another CA, a host name the certificate does not carry and missing
 * files are refused with messages naming the cause.
 */
class TlsScriptsIT {
    private static final String ENVIRONMENT = "development";
    private static final String CERT_USER = "certuser";

    private static Path work;
    private static TestCertificates certs;
    private static PostgresFixture pg;
    private static String database;

    @TempDir
    Path temp;

    @BeforeAll
    static void startServerWithTls() throws IOException {
        work = Files.createTempDirectory("neurocred-tls-");
        Path pki = Files.createDirectories(work.resolve("pki"));
        certs = TestCertificates.authority(pki, "test-ca");
        certs.issue("test-ca", "server", "localhost", List.of("localhost"));
        certs.issue("test-ca", CERT_USER, CERT_USER, List.of());
        certs.issueWithEcKey("test-ca", CERT_USER + "-ec", CERT_USER);
        TestCertificates.authority(pki, "other-ca");
        // The server reads its key as its own user, mode 0600 kept.
        Path serverFiles = Files.createDirectories(work.resolve("server"));
        for (String file : List.of("server.crt", "server.key", "test-ca.crt")) {
            Files.copy(pki.resolve(file), serverFiles.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        PostgresFixture.serverUserDirectory(serverFiles);

        Path archiveConfig = PostgresFixture.serverUserDirectory(work.resolve("archive")).resolve("backup.env");
        String archiveCommand = Scripts.ROOT.resolve("scripts/neurocred-backup") + " wal-push --config " + archiveConfig + " %p";
        pg = PostgresFixture.dedicated(List.of("ssl = on",
                "ssl_cert_file = '" + serverFiles.resolve("server.crt") + "'",
                "ssl_key_file = '" + serverFiles.resolve("server.key") + "'",
                "ssl_ca_file = '" + serverFiles.resolve("test-ca.crt") + "'",
                "archive_command = '" + archiveCommand + "'"), List.of(), TlsScriptsIT::requireTlsInHba);
        database = pg.createSampleDatabase("tls");
        pg.execute("postgres", "CREATE ROLE " + CERT_USER + " LOGIN SUPERUSER");
        Files.writeString(archiveConfig, lines(settings(Map.of("BACKUP_DIR", work.resolve("archive").toString()))));
    }

    /** Connections without TLS are refused, so every success below went over TLS; certuser logs in by certificate. */
    private static void requireTlsInHba(PostgresFixture cluster) {
        try {
            Path hba = cluster.dataDir().resolve("pg_hba.conf");
            Files.writeString(hba, "hostssl all " + CERT_USER + " 127.0.0.1/32 cert\n"
                    + "hostnossl all all 127.0.0.1/32 reject\n" + Files.readString(hba));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (pg != null) {
            pg.close();
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void verifyFull_should_backUpVerifyWithTheRestoreTestAndTakeABaseBackup_when_theServersCaIsGiven() throws Exception {
        Path backups = PostgresFixture.serverUserDirectory(work.resolve("archive"));
        Map<String, String> env = settings(Map.of("BACKUP_DIR", backups.toString()));

        Outcome full = Scripts.run(env, "backup-db.sh", ENVIRONMENT, "full");
        assertThat(full.exitCode()).as(full.stdout() + full.stderr()).isZero();

        Path dump = newest(backups, ".sql.gz");
        Outcome verify = Scripts.run(env, "verify-backup.sh", dump.toString(), "--restore-test");
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
        assertThat(verify.stdout()).contains("ok   restore").contains("verification SUCCESSFUL");

        // The base backup's check needs the WAL from its start to its end in the archive: wal-push, run by the
        // server with the TLS variables in its --config file, put it there.
        Outcome base = Scripts.run(env, "backup-db.sh", ENVIRONMENT, "base");
        assertThat(base.exitCode()).as(base.stdout() + base.stderr()).isZero();
        assertThat(base.stdout()).contains("wal:");
        Outcome verifyBase = Scripts.run(env, "verify-backup.sh", newest(backups.resolve("base"), ".tar.gz").toString());
        assertThat(verifyBase.exitCode()).as(verifyBase.stdout() + verifyBase.stderr()).isZero();
        assertThat(verifyBase.stdout()).contains("ok   wal");
    }

    @Test
    void verifyFull_should_refuseTheServer_when_itsCertificateIsFromAnotherCa() throws Exception {
        Path backups = Files.createDirectories(temp.resolve("backups"));
        Map<String, String> env = settings(Map.of("BACKUP_DIR", backups.toString(),
                "DB_SSLROOTCERT", certs.file("other-ca.crt").toString()));

        Outcome run = Scripts.run(env, "backup-db.sh", ENVIRONMENT, "full");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isNotZero();
        assertThat(run.stdout() + run.stderr()).contains("DB_SSLROOTCERT=" + certs.file("other-ca.crt"))
                .contains("CN=test-ca").doesNotContain(PostgresFixture.PASSWORD);
        assertNoBackup(backups);
    }

    @Test
    void verifyFull_should_refuseTheServer_when_theHostNameIsNotInItsCertificate() throws Exception {
        Path backups = Files.createDirectories(temp.resolve("backups"));
        Map<String, String> env = settings(Map.of("BACKUP_DIR", backups.toString(), "DB_HOST", "127.0.0.1"));

        Outcome run = Scripts.run(env, "backup-db.sh", ENVIRONMENT, "full");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isNotZero();
        assertThat(run.stdout() + run.stderr()).contains("127.0.0.1").contains("localhost").contains("verify-ca");
        assertNoBackup(backups);
    }

    @Test
    void verifyCa_should_acceptTheServer_when_theHostNameIsNotInItsCertificate() throws Exception {
        Path backups = Files.createDirectories(temp.resolve("backups"));
        Map<String, String> env = settings(Map.of("BACKUP_DIR", backups.toString(), "DB_HOST", "127.0.0.1",
                "DB_SSLMODE", "verify-ca"));

        Outcome run = Scripts.run(env, "backup-db.sh", ENVIRONMENT, "full");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(newest(backups, ".sql.gz")).exists();
    }

    @Test
    void clientCertificate_should_authenticate_when_hbaAsksForCert() throws Exception {
        backUpAs(CERT_USER);
    }

    @Test
    void clientCertificate_should_authenticate_withAnEcKey_inBothClients() throws Exception {
        // JDBC must be told the key's algorithm (it assumes RSA); pg_dump's libpq finds it itself.
        backUpAs(CERT_USER + "-ec");
    }

    /** A full backup as certuser, authenticated by the certificate {@code name}.crt and key {@code name}.key alone. */
    private void backUpAs(String name) throws IOException {
        Path backups = Files.createDirectories(temp.resolve("backups"));
        Map<String, String> env = settings(Map.of("BACKUP_DIR", backups.toString(), "DB_USER", CERT_USER,
                "DB_SSLCERT", certs.file(name + ".crt").toString(), "DB_SSLKEY", certs.file(name + ".key").toString()));
        env.remove("DB_PASSWORD");

        Outcome run = Scripts.run(env, "backup-db.sh", ENVIRONMENT, "full");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(newest(backups, ".sql.gz")).exists();
    }

    @Test
    void restoreTest_should_reachAScratchServerOverTls_withItsOwnSettings() throws Exception {
        Path backups = Files.createDirectories(temp.resolve("backups"));
        Map<String, String> env = settings(Map.of("BACKUP_DIR", backups.toString()));
        Outcome full = Scripts.run(env, "backup-db.sh", ENVIRONMENT, "full");
        assertThat(full.exitCode()).as(full.stdout() + full.stderr()).isZero();
        String dump = newest(backups, ".sql.gz").toString();
        // The same cluster as the scratch server, by an address its certificate does not carry.
        Map<String, String> scratch = new HashMap<>(env);
        scratch.putAll(Map.of("VERIFY_DB_HOST", "127.0.0.1", "VERIFY_DB_PORT", String.valueOf(pg.port()),
                "VERIFY_DB_PASSWORD", PostgresFixture.PASSWORD, "VERIFY_DB_SSLMODE", "verify-ca"));

        Outcome verified = Scripts.run(scratch, "verify-backup.sh", dump, "--restore-test");
        assertThat(verified.exitCode()).as(verified.stdout() + verified.stderr()).isZero();
        assertThat(verified.stdout()).contains("ok   restore");

        scratch.put("VERIFY_DB_SSLROOTCERT", certs.file("other-ca.crt").toString());
        Outcome refused = Scripts.run(scratch, "verify-backup.sh", dump, "--restore-test");
        assertThat(refused.exitCode()).as(refused.stdout() + refused.stderr()).isNotZero();
        assertThat(refused.stdout()).contains("VERIFY_DB_SSLROOTCERT=" + certs.file("other-ca.crt"))
                .doesNotContain("verification FAILED");
    }

    @Test
    void clientCertificate_should_beAskedForByName_when_theServerWantsOneAndNoneIsGiven() throws Exception {
        Path backups = Files.createDirectories(temp.resolve("backups"));
        Map<String, String> env = settings(Map.of("BACKUP_DIR", backups.toString(), "DB_USER", CERT_USER));
        env.remove("DB_PASSWORD");

        Outcome run = Scripts.run(env, "backup-db.sh", ENVIRONMENT, "full");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isNotZero();
        assertThat(run.stdout() + run.stderr()).contains("DB_SSLCERT");
        assertNoBackup(backups);
    }

    @Test
    void configuration_should_nameTheVariableAndPath_when_aCertificateFileIsMissingOrAKeyIsOpenToOthers() throws Exception {
        Path key = Files.copy(certs.file(CERT_USER + ".key"), temp.resolve("open.key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> env = settings(Map.of("BACKUP_DIR", temp.resolve("backups").toString(),
                "DB_SSLROOTCERT", temp.resolve("missing-ca.pem").toString(),
                "DB_SSLCERT", certs.file(CERT_USER + ".crt").toString(), "DB_SSLKEY", key.toString()));

        Outcome run = Scripts.run(env, "backup-db.sh", ENVIRONMENT, "full");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).contains("DB_SSLROOTCERT=" + temp.resolve("missing-ca.pem") + " does not exist")
                .contains("DB_SSLKEY=" + key).contains("chmod 600");
        assertThat(run.stdout() + run.stderr()).doesNotContain("PRIVATE KEY");
    }

    private static Map<String, String> settings(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of("ENVIRONMENT", ENVIRONMENT, "DB_HOST", "localhost",
                "DB_PORT", String.valueOf(pg.port()), "DB_USER", PostgresFixture.SUPERUSER,
                "DB_PASSWORD", PostgresFixture.PASSWORD, "DB_NAME", database, "DB_SSLMODE", "verify-full",
                "DB_SSLROOTCERT", certs.file("test-ca.crt").toString(), "PG_BIN", pg.binDir().toString()));
        env.putAll(overrides);
        return env;
    }

    private static String lines(Map<String, String> variables) {
        StringBuilder text = new StringBuilder();
        variables.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    private static Path newest(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).max(Comparator.naturalOrder())
                    .orElseThrow(() -> new AssertionError("no *" + suffix + " in " + dir));
        }
    }

    private static void assertNoBackup(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".sql.gz"));
            }
        }
    }
}
