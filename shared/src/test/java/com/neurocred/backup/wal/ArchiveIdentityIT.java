package com.neurocred.backup.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.json.Json;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.Encryption;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.storage.S3BackupStore;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One archive, one cluster: the first push of a real segment records the cluster that wrote it, and a segment of
 * another cluster (a second server, or a restored copy, pointed at the same place) is refused naming both.
 */
class ArchiveIdentityIT {
    private static final PostgresFixture PG = PostgresFixture.get();

    @TempDir
    Path temp;

    static Stream<Arguments> stores() {
        return Stream.of(Arguments.of("local"), Arguments.of("s3"));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aSecondCluster_should_beRefused_namingBothSystemIdentifiers(String kind) throws Exception {
        WalArchive archive = new WalArchive(store(kind), 1);
        Path ours = currentSegment(PG);

        assertThat(archive.push(ours).alreadyArchived()).isFalse();

        ArchiveIdentity recorded = archive.readIdentity().orElseThrow();
        assertThat(recorded.systemIdentifier()).isEqualTo(systemIdentifier(PG));
        assertThat(recorded.postgresMajorVersion()).isEqualTo(15);
        assertThat(recorded.walSegmentBytes()).isEqualTo(16L << 20);
        try (InputStream in = archive.store().open(ArchiveIdentity.NAME)) {
            assertThat(Json.MAPPER.readTree(in).get("systemIdentifier").asText()).isEqualTo(systemIdentifier(PG));
        }

        try (PostgresFixture other = PostgresFixture.dedicated(List.of())) {
            Path theirs = currentSegment(other);
            String theirId = systemIdentifier(other);
            assertThat(theirId).isNotEqualTo(recorded.systemIdentifier());
            // A fresh process (no identity remembered) reads it from the archive.
            WalArchive fresh = new WalArchive(archive.store(), 1);

            assertThatThrownBy(() -> fresh.push(theirs)).isInstanceOfSatisfying(WalArchiveException.class,
                    e -> assertThat(e.reason()).isEqualTo(WalArchiveException.Reason.OTHER_CLUSTER))
                    .hasMessageContaining("system identifier " + recorded.systemIdentifier())
                    .hasMessageContaining("system identifier " + theirId)
                    .hasMessageContaining("nothing was stored");
            assertThat(fresh.archivedNames()).containsOnly(ours.getFileName().toString());
        }
    }

    /** A copy of the segment the cluster is writing, in a data-directory-like place beside its PG_VERSION. */
    private Path currentSegment(PostgresFixture pg) throws Exception {
        String name;
        try (Connection c = pg.connect("postgres"); ResultSet rs = c.createStatement()
                .executeQuery("SELECT pg_walfile_name(pg_current_wal_lsn())")) {
            rs.next();
            name = rs.getString(1);
        }
        Path dataDir = Files.createDirectories(temp.resolve("data-" + pg.port()).resolve("pg_wal")).getParent();
        Files.copy(pg.dataDir().resolve("PG_VERSION"), dataDir.resolve("PG_VERSION"));
        return Files.copy(pg.dataDir().resolve("pg_wal").resolve(name), dataDir.resolve("pg_wal").resolve(name));
    }

    private static String systemIdentifier(PostgresFixture pg) throws Exception {
        try (Connection c = pg.connect("postgres"); ResultSet rs = c.createStatement()
                .executeQuery("SELECT system_identifier::text FROM pg_control_system()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private BackupStore store(String kind) throws Exception {
        if (kind.equals("local")) {
            return new LocalDirectoryBackupStore(Files.createDirectories(temp.resolve("archive")));
        }
        AwsEndpointFixture aws = AwsEndpointFixture.get();
        return new S3BackupStore(aws.clients().s3(), aws.createBucket("walid"), "development/wal/",
                new Encryption(Optional.empty()), 5, 2, Executors.newFixedThreadPool(2));
    }
}
