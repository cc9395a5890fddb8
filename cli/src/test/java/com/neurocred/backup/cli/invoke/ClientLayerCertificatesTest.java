package com.neurocred.backup.cli.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.Processes;
import com.neurocred.backup.testing.Processes.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client layer's ca-certificates step, as sam build runs it, with the bundle served from a file instead
 * of AWS's trust store (not reachable from tests): only a PEM bundle of certificates is accepted, its
 * SHA-256 is recorded, a pin is enforced, and the operator's own CA files are added.
 */
class ClientLayerCertificatesTest {
    private static final Path LAYER = Path.of(System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", ".."),
            "layers", "postgres-client").toAbsolutePath();
    private static final String SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

    @TempDir
    Path temp;

    @Test
    void caCertificates_should_installTheBundleWithItsChecksum_andTheOperatorsOwnCas() throws Exception {
        Path own = Files.createDirectories(temp.resolve("own"));
        Files.copy(Path.of(SYSTEM_BUNDLE), own.resolve("company-ca.pem"));
        Path artifacts = temp.resolve("artifacts");

        Outcome build = make(artifacts, "RDS_CA_BUNDLE_URL=file://" + SYSTEM_BUNDLE, "OWN_CA_DIR=" + own);

        assertThat(build.exitCode()).as(build.stdout() + build.stderr()).isZero();
        Path bundle = artifacts.resolve("certs/rds-global-bundle.pem");
        assertThat(bundle).hasSameBinaryContentAs(Path.of(SYSTEM_BUNDLE));
        assertThat(Files.readString(artifacts.resolve("certs/rds-global-bundle.pem.sha256")))
                .isEqualTo(sha256(bundle) + "  rds-global-bundle.pem\n");
        assertThat(build.stdout()).contains(sha256(bundle));
        assertThat(artifacts.resolve("certs/company-ca.pem")).exists();
        assertThat(artifacts.resolve("certs/rds-global-bundle.pem.download")).doesNotExist();
    }

    @Test
    void caCertificates_should_failTheBuild_when_theDownloadIsNotABundleOfCertificates() {
        Outcome build = make(temp.resolve("artifacts"), "RDS_CA_BUNDLE_URL=file:///etc/hosts", "OWN_CA_DIR=" + temp);

        assertThat(build.exitCode()).isNotZero();
        assertThat(build.stderr()).contains("is not a PEM bundle of CA certificates");
        assertThat(temp.resolve("artifacts/certs/rds-global-bundle.pem")).doesNotExist();
    }

    @Test
    void caCertificates_should_enforceThePin_when_oneIsGiven() throws Exception {
        Outcome wrong = make(temp.resolve("a"), "RDS_CA_BUNDLE_URL=file://" + SYSTEM_BUNDLE, "OWN_CA_DIR=" + temp,
                "RDS_CA_BUNDLE_SHA256=" + "0".repeat(64));
        Outcome right = make(temp.resolve("b"), "RDS_CA_BUNDLE_URL=file://" + SYSTEM_BUNDLE, "OWN_CA_DIR=" + temp,
                "RDS_CA_BUNDLE_SHA256=" + sha256(Path.of(SYSTEM_BUNDLE)));

        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.stderr()).contains("not the pinned " + "0".repeat(64));
        assertThat(temp.resolve("a/certs/rds-global-bundle.pem")).doesNotExist();
        assertThat(right.exitCode()).as(right.stderr()).isZero();
    }

    @Test
    void caCertificates_should_refuseAPrivateKeyAmongTheOperatorsFiles() throws Exception {
        Path own = Files.createDirectories(temp.resolve("own"));
        Files.writeString(own.resolve("mixed.pem"), Files.readString(Path.of(SYSTEM_BUNDLE))
                + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        Outcome build = make(temp.resolve("artifacts"), "RDS_CA_BUNDLE_URL=file://" + SYSTEM_BUNDLE, "OWN_CA_DIR=" + own);

        assertThat(build.exitCode()).isNotZero();
        assertThat(build.stderr()).contains("holds a private key");
        assertThat(temp.resolve("artifacts/certs/mixed.pem")).doesNotExist();
    }

    @Test
    void caCertificates_should_refuseAnOwnFileThatWouldReplaceAwsBundle() throws Exception {
        Path own = Files.createDirectories(temp.resolve("own"));
        Files.copy(Path.of(SYSTEM_BUNDLE), own.resolve("rds-global-bundle.pem"));

        Outcome build = make(temp.resolve("artifacts"), "RDS_CA_BUNDLE_URL=file://" + SYSTEM_BUNDLE, "OWN_CA_DIR=" + own);

        assertThat(build.exitCode()).isNotZero();
        assertThat(build.stderr()).contains("give it another name");
    }

    private static Outcome make(Path artifacts, String... variables) {
        List<String> command = new java.util.ArrayList<>(List.of("make", "-s", "-C", LAYER.toString(), "ca-certificates",
                "ARTIFACTS_DIR=" + artifacts));
        command.addAll(List.of(variables));
        return Processes.outcome(command, new byte[0], Map.of(), null);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
