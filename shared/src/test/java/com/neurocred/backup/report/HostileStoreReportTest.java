package com.neurocred.backup.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.wal.WalSequence;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.InputSource;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;

/**
 * The report over a store written by someone hostile: whatever a manifest, a verification record or a name holds, the
 * page still renders, parses as XML and says what is wrong, rather than failing with no report at all.
 */
class HostileStoreReportTest {
    private static final DeploymentEnvironment ENV = DeploymentEnvironment.STAGING;
    private static final Instant NOW = Instant.parse("2024-05-20T12:00:00Z");
    private static final long SEGMENT_BYTES = 16L << 20;

    @TempDir
    Path dir;

    @Test
    void report_should_renderWellFormed_when_aCheckDetailHoldsCharactersXmlForbids() throws Exception {
        full(NOW.minus(Duration.ofDays(1)), record -> ((ObjectNode) record.get("checks").get(0))
                .put("detail", "bad \uFFFE and \uFFFF and lone \uD800 surrogate and <b>"));

        BackupHistory history = read();
        String html = HtmlReport.render(history);

        parse(html);
        // What report --html does with it.
        Files.writeString(dir.resolve("report.html"), html, StandardCharsets.UTF_8);
        assertThat(html).contains("&lt;b&gt;");
    }

    @Test
    void report_should_renderAndFlag_when_aRecordHasNoStatus() throws Exception {
        full(NOW.minus(Duration.ofDays(1)), record -> record.remove("status"));

        BackupHistory history = read();

        parse(HtmlReport.render(history));
        TerminalReport.render(history, true);
        assertThat(history.sets()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(SetHistory.UNREADABLE);
            assertThat(s.problems()).anyMatch(p -> p.contains("cannot be read"));
        });
    }

    @Test
    void report_should_renderAndFlag_when_aRecordHasNoChecks() throws Exception {
        full(NOW.minus(Duration.ofDays(1)), record -> record.remove("checks"));

        BackupHistory history = read();

        parse(HtmlReport.render(history));
        assertThat(history.sets()).singleElement().satisfies(s -> assertThat(s.problems()).anyMatch(p -> p.contains("cannot be read")));
    }

    @Test
    void report_should_renderAndFlag_when_aRecordListsAnEmptyCheck() throws Exception {
        full(NOW.minus(Duration.ofDays(1)), record -> record.withArray("checks").addNull());

        BackupHistory history = read();

        parse(HtmlReport.render(history));
        assertThat(history.sets()).singleElement().satisfies(s -> assertThat(s.problems()).anyMatch(p -> p.contains("cannot be read")));
    }

    @Test
    void report_should_renderAndFlag_when_aBaseManifestsWalStartIsNotASegmentName() throws Exception {
        base(NOW.minus(Duration.ofDays(3)), WalSequence.segmentName(1, 0x10, SEGMENT_BYTES));
        base(NOW.minus(Duration.ofDays(2)), "not-a-segment");
        Path wal = Files.createDirectories(dir.resolve("wal"));
        for (int s = 0x10; s < 0x14; s++) {
            Files.write(wal.resolve(WalSequence.segmentName(1, s, SEGMENT_BYTES) + ".gz"), new byte[8]);
        }

        BackupHistory history = read();

        parse(HtmlReport.render(history));
        assertThat(history.pitr()).isPresent();
        assertThat(history.sets()).filteredOn(SetHistory::isBase).anySatisfy(s -> assertThat(s.problems())
                .anyMatch(p -> p.contains("WAL start not-a-segment, which is not a WAL segment name")));
    }

    private BackupHistory read() {
        Map<String, String> env = new HashMap<>();
        env.put("ENVIRONMENT", ENV.id());
        env.put("BACKUP_DIR", dir.toString());
        try (AwsClients aws = AwsClients.forEndpoint(URI.create("http://127.0.0.1:1"), Region.US_EAST_1,
                ClientOverrideConfiguration.builder().build());
             BackupApplication app = new BackupApplication(env, aws, Clock.fixed(NOW, ZoneOffset.UTC))) {
            return app.historyReader(BackupConfig.load(env, DatabaseUse.NONE)).read(Duration.ofDays(30));
        }
    }

    private void full(Instant taken, Consumer<ObjectNode> alterRecord) throws Exception {
        BackupNames names = BackupNames.of(ENV, taken, BackupFormat.PLAIN);
        Files.write(dir.resolve(names.dataFile()), new byte[64]);
        BackupManifest manifest = BackupManifest.full().environment(ENV.id()).database("neurocred")
                .ran(taken, taken.plusSeconds(600)).format("plain").compression("gzip").dataFile(names.dataFile())
                .compressedBytes(1_000_000).uncompressedBytes(6_000_000L).build();
        Files.write(dir.resolve(names.manifest()), Json.MAPPER.writeValueAsBytes(manifest));
        VerificationRecord record = new VerificationRecord(VerificationRecord.VERSION, ENV.id(),
                BackupNames.TIMESTAMP.format(taken), names.dataFile(), names.manifest(), VerificationRecord.FAILED, false,
                taken.plusSeconds(600).toString(), taken.plusSeconds(1200).toString(), 600_000L, 600_000L, 1_000_000L, 80.0,
                List.of(new VerificationRecord.Check("restore", false, "restored")));
        ObjectNode json = Json.MAPPER.valueToTree(record);
        alterRecord.accept(json);
        Files.write(dir.resolve(names.verification()), Json.MAPPER.writeValueAsBytes(json));
    }

    private void base(Instant taken, String walStartFile) throws Exception {
        BackupNames names = BackupNames.of(ENV, taken, BackupFormat.TAR);
        Path base = Files.createDirectories(dir.resolve(BackupNames.BASE_FOLDER));
        Files.write(base.resolve(names.dataFile()), new byte[64]);
        BackupManifest manifest = BackupManifest.base().environment(ENV.id()).ran(taken, taken.plusSeconds(900))
                .format("tar").compression("gzip").dataFile(names.dataFile()).compressedBytes(3_000_000L)
                .walStart(new BackupManifest.WalPosition("0/10000028", walStartFile)).walSegmentBytes(SEGMENT_BYTES).build();
        Files.write(base.resolve(names.manifest()), Json.MAPPER.writeValueAsBytes(manifest));
    }

    private static void parse(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setExpandEntityReferences(false);
        factory.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    }
}
