package com.neurocred.backup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DB_SSLROOTCERT, DB_SSLCERT, DB_SSLKEY and their VERIFY_DB_ twins: read, defaulted and checked before any connection. */
class TlsSettingsTest {
    @TempDir
    static Path pki;
    @TempDir
    Path temp;

    @BeforeAll
    static void makeCertificates() {
        TestCertificates.authority(pki, "ca").issue("ca", "client", "backup", List.of());
    }

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("ENVIRONMENT", "production", "DB_HOST", "db.internal",
                "DB_USER", "backup", "DB_NAME", "neurocred", "HOME", temp.toString()));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void load_should_giveTheSameFilesToEveryClient_when_rootCertAndClientCertificateAreSet() {
        DatabaseSettings db = BackupConfig.load(env("DB_SSLMODE", "verify-full", "DB_SSLROOTCERT", pki.resolve("ca.crt").toString(),
                "DB_SSLCERT", pki.resolve("client.crt").toString(), "DB_SSLKEY", pki.resolve("client.key").toString())).database();

        assertThat(db.tls().rootCert()).contains(pki.resolve("ca.crt"));
        assertThat(db.tls().clientCert()).contains(pki.resolve("client.crt"));
        assertThat(db.tls().clientKey()).contains(pki.resolve("client.key"));
        assertThat(db.verifiesServer()).isTrue();
        assertThat(db.jdbcSslMode()).isEqualTo("verify-full");
        assertThat(db.toString()).contains("client.key").doesNotContain("PRIVATE");
    }

    @Test
    void load_should_verifyTheChainUnderRequire_when_aRootCertIsGiven_asLibpqDoes() {
        DatabaseSettings db = BackupConfig.load(env("DB_SSLMODE", "require", "DB_SSLROOTCERT", pki.resolve("ca.crt").toString()))
                .database();

        assertThat(db.verifiesServer()).isTrue();
        assertThat(db.jdbcSslMode()).isEqualTo("verify-ca");
        assertThat(BackupConfig.load(env("DB_SSLMODE", "require")).database().jdbcSslMode()).isEqualTo("require");
    }

    @Test
    void load_should_nameTheVariableAndThePath_when_verifyFullHasNoRootCertificate() {
        assertThatThrownBy(() -> BackupConfig.load(env("DB_SSLMODE", "verify-full")))
                .hasMessageContaining("DB_SSLMODE=verify-full checks the server's certificate")
                .hasMessageContaining("DB_SSLROOTCERT is not set and " + temp.resolve(".postgresql/root.crt") + " does not exist");
    }

    @Test
    void load_should_takeTheHomeRootCertExplicitly_when_noneIsNamed() throws Exception {
        Path home = Files.createDirectories(temp.resolve(".postgresql"));
        Files.copy(pki.resolve("ca.crt"), home.resolve("root.crt"));

        DatabaseSettings db = BackupConfig.load(env("DB_SSLMODE", "verify-ca")).database();

        assertThat(db.tls().rootCert()).contains(home.resolve("root.crt"));
    }

    @Test
    void load_should_refuseEachUnusableFile_namingItsVariableAndPath() throws Exception {
        Path notPem = Files.writeString(temp.resolve("notes.txt"), "not a certificate\n");
        Path openKey = Files.copy(pki.resolve("client.key"), temp.resolve("open.key"));
        Files.setPosixFilePermissions(openKey, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> BackupConfig.load(env("DB_SSLMODE", "verify-full", "DB_SSLROOTCERT", temp.resolve("none.pem").toString(),
                "DB_SSLCERT", notPem.toString(), "DB_SSLKEY", openKey.toString())))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(3))
                .hasMessageContaining("DB_SSLROOTCERT=" + temp.resolve("none.pem") + " does not exist")
                .hasMessageContaining("DB_SSLCERT=" + notPem)
                .hasMessageContaining("DB_SSLKEY=" + openKey + " is readable or writable by others (rw-r--r--")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void load_should_refuseAnEncryptedKey_withoutShowingIt() throws Exception {
        Path encrypted = temp.resolve("encrypted.key");
        com.neurocred.backup.testing.Processes.run(List.of("openssl", "pkey", "-in", pki.resolve("client.key").toString(),
                "-aes256", "-passout", "pass:secret", "-out", encrypted.toString()), new byte[0], Map.of());
        Files.setPosixFilePermissions(encrypted, PosixFilePermissions.fromString("rw-------"));
        String key = Files.readString(encrypted);

        assertThatThrownBy(() -> BackupConfig.load(env("DB_SSLCERT", pki.resolve("client.crt").toString(),
                "DB_SSLKEY", encrypted.toString())))
                .hasMessageContaining("DB_SSLKEY=" + encrypted + " is encrypted")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(key.lines().skip(1).findFirst().orElseThrow()));
    }

    @Test
    void load_should_refuseARootCert_when_theModeDoesNotCheckCertificates() {
        assertThatThrownBy(() -> BackupConfig.load(env("DB_SSLMODE", "prefer", "DB_SSLROOTCERT", pki.resolve("ca.crt").toString())))
                .hasMessageContaining("DB_SSLROOTCERT is set but DB_SSLMODE=prefer does not check the server's certificate");
    }

    @Test
    void load_should_askForBoth_when_onlyOneOfCertificateAndKeyIsSet() {
        assertThatThrownBy(() -> BackupConfig.load(env("DB_SSLCERT", pki.resolve("client.crt").toString())))
                .hasMessageContaining("DB_SSLCERT is set without DB_SSLKEY");
    }

    @Test
    void load_should_notCheckTlsSettings_when_theCommandNeverConnects() {
        // wal-push reads the same settings file but never connects: nothing about TLS may stop archiving.
        BackupConfig config = BackupConfig.load(env("DB_SSLMODE", "prefer", "PITR_ENABLED", "true",
                "DB_SSLROOTCERT", temp.resolve("none.pem").toString(), "DB_SSLKEY", "/nowhere.key"), DatabaseUse.NONE);

        assertThat(config.database().tls().rootCert()).contains(temp.resolve("none.pem"));
    }

    @Test
    void load_should_checkTlsSettings_forRetention_onlyWhenItsWalCheckWillConnect() {
        Map<String, String> env = env("DB_SSLMODE", "verify-full", "DB_SSLROOTCERT", temp.resolve("none.pem").toString());

        assertThat(BackupConfig.load(env, DatabaseUse.WAL_ARCHIVING_CHECK).checksWalArchivingOnServer()).isFalse();
        env.put("PITR_ENABLED", "true");
        assertThatThrownBy(() -> BackupConfig.load(env, DatabaseUse.WAL_ARCHIVING_CHECK))
                .hasMessageContaining("DB_SSLROOTCERT=" + temp.resolve("none.pem") + " does not exist");
    }

    @Test
    void load_should_refuseTraditionalKeyForms_withTheCommandThatConverts() throws Exception {
        Path pkcs1 = temp.resolve("rsa.key");
        com.neurocred.backup.testing.Processes.run(List.of("openssl", "pkey", "-in", pki.resolve("client.key").toString(),
                "-traditional", "-out", pkcs1.toString()), new byte[0], Map.of());
        Files.setPosixFilePermissions(pkcs1, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> BackupConfig.load(env("DB_SSLCERT", pki.resolve("client.crt").toString(),
                "DB_SSLKEY", pkcs1.toString())))
                .hasMessageContaining("DB_SSLKEY=" + pkcs1 + " is in the traditional RSA/EC form")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void privateKeyAlgorithm_should_tellRsaFromEc_forPgJdbc() throws Exception {
        Path ec = temp.resolve("ec.key");
        com.neurocred.backup.testing.Processes.run(List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-out", ec.toString()), new byte[0], Map.of());

        assertThat(PrivateKeyAlgorithm.of(ec)).contains("EC");
        assertThat(PrivateKeyAlgorithm.of(pki.resolve("client.key"))).contains("RSA");
        assertThat(PrivateKeyAlgorithm.of(pki.resolve("client.crt"))).isEmpty();
    }

    @Test
    void load_should_acceptGroupRead_onlyForAKeyRootOwns() throws Exception {
        Path shared = Files.copy(pki.resolve("client.key"), temp.resolve("shared.key"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r-----"));
        boolean rootOwns = "root".equals(Files.getOwner(shared).getName());
        Map<String, String> env = env("DB_SSLCERT", pki.resolve("client.crt").toString(), "DB_SSLKEY", shared.toString());

        if (rootOwns) {
            assertThat(BackupConfig.load(env).database().tls().clientKey()).contains(shared);
        } else {
            assertThatThrownBy(() -> BackupConfig.load(env)).hasMessageContaining("chmod 600");
        }
    }

    @Test
    void load_should_explainThatSystemIsNotAFile() {
        assertThatThrownBy(() -> BackupConfig.load(env("DB_SSLMODE", "verify-full", "DB_SSLROOTCERT", "system")))
                .hasMessageContaining("DB_SSLROOTCERT=system").hasMessageContaining("/etc/ssl/certs/ca-certificates.crt");
    }

    @Test
    void load_should_verifyUnderRequireWithTheHomeRootCert_asLibpqDoes() throws Exception {
        Path home = Files.createDirectories(temp.resolve(".postgresql"));
        Files.copy(pki.resolve("ca.crt"), home.resolve("root.crt"));

        DatabaseSettings db = BackupConfig.load(env("DB_SSLMODE", "require")).database();

        assertThat(db.tls().rootCert()).contains(home.resolve("root.crt"));
        assertThat(db.jdbcSslMode()).isEqualTo("verify-ca");
    }

    @Test
    void load_should_giveTheScratchServerTheSourcesFiles_unlessItNamesItsOwn() throws Exception {
        Path otherCa = Files.copy(pki.resolve("ca.crt"), temp.resolve("other.crt"));
        Map<String, String> env = env("DB_SSLMODE", "verify-full", "DB_SSLROOTCERT", pki.resolve("ca.crt").toString(),
                "VERIFY_DB_HOST", "scratch.internal");

        assertThat(BackupConfig.load(env).scratchServer().tls().rootCert()).contains(pki.resolve("ca.crt"));
        assertThat(BackupConfig.load(env).scratchServer().sslMode()).isEqualTo("verify-full");

        env.put("VERIFY_DB_SSLROOTCERT", otherCa.toString());
        assertThat(BackupConfig.load(env).scratchServer().tls().rootCert()).contains(otherCa);

        env.remove("VERIFY_DB_SSLROOTCERT");
        env.put("VERIFY_DB_SSLMODE", "prefer");
        DatabaseSettings prefer = BackupConfig.load(env).scratchServer();
        assertThat(prefer.tls().rootCert()).isEmpty();
        assertThat(prefer.verifiesServer()).isFalse();

        // require of its own: encrypted, not made to verify against the source's CAs (a self-signed scratch server).
        env.put("VERIFY_DB_SSLMODE", "require");
        DatabaseSettings require = BackupConfig.load(env).scratchServer();
        assertThat(require.tls().rootCert()).isEmpty();
        assertThat(require.jdbcSslMode()).isEqualTo("require");
    }

    @Test
    void load_should_giveTheScratchServerTheClientCertificate_onlyForTheSameUser() {
        Map<String, String> env = env("DB_SSLCERT", pki.resolve("client.crt").toString(),
                "DB_SSLKEY", pki.resolve("client.key").toString(), "VERIFY_DB_HOST", "scratch.internal");

        assertThat(BackupConfig.load(env).scratchServer().tls().clientCert()).contains(pki.resolve("client.crt"));
        env.put("VERIFY_DB_USER", "verifier");
        assertThat(BackupConfig.load(env).scratchServer().tls().clientCert()).isEmpty();
        assertThat(BackupConfig.load(env).scratchServer().tls().clientKey()).isEmpty();
    }

    @Test
    void load_should_refuseAnUnknownScratchSslMode() {
        assertThatThrownBy(() -> BackupConfig.load(env("VERIFY_DB_HOST", "scratch.internal", "VERIFY_DB_SSLMODE", "strict")))
                .hasMessageContaining("VERIFY_DB_SSLMODE='strict' is invalid");
    }

    @Test
    void load_should_notAlsoLookForAFileNamedSystem() {
        assertThatThrownBy(() -> BackupConfig.load(env("DB_SSLMODE", "verify-full", "DB_SSLROOTCERT", "system")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
                        .startsWith("DB_SSLROOTCERT=system (libpq 16's system CA store) is not understood by JDBC: name a PEM file"));
    }

    @Test
    void load_should_fallBackToPrefer_when_theModeIsInvalid_andTheCommandNeverConnects() {
        // The invalid mode is a problem only for a command that connects; one that does not still gets a valid mode.
        BackupConfig config = BackupConfig.load(env("DB_SSLMODE", "strict"), DatabaseUse.NONE);

        assertThat(config.database().sslMode()).isEqualTo("prefer");
    }

    @Test
    void load_should_lookInTheUsersHome_when_homeIsBlank() {
        // A blank HOME is no directory: the JVM's user.home is where libpq's default file is looked for.
        Path fallback = Path.of(System.getProperty("user.home")).resolve(".postgresql/root.crt");
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(fallback), "the test needs no " + fallback);

        assertThatThrownBy(() -> BackupConfig.load(env("DB_SSLMODE", "verify-full", "HOME", " ")))
                .hasMessageContaining("DB_SSLROOTCERT is not set and " + fallback + " does not exist");
    }
}
