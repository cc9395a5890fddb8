package com.neurocred.backup.cli;

import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.wal.WalSequence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A month of one environment's backups, as the jobs store them (real manifests and verification records), relative
 * to now: the report's tests and its README screenshot are made from it. What it holds is what the tests count on:
 * <ul>
 * <li>{@link #FULL_IN_WINDOW} daily full backups at 02:00 in the last 30 days, plus 3 older ones outside the window;
 * <li>of those in the window: one FAILED ({@link #FAILED_DAYS_AGO}), one without a verification record
 * ({@link #UNVERIFIED_DAYS_AGO}), one with no manifest ({@link #INCOMPLETE_DAYS_AGO}), the rest SUCCESSFUL with a
 * measured restore;
 * <li>{@link #BASE_IN_WINDOW} weekly base backups, and a WAL archive from the oldest one's start with one hole
 * ({@link #HOLE}) between the second and third, so the PITR window starts at the third ({@link #WINDOW_BASE_DAYS_AGO}).
 * </ul>
 */
final class ReportSampleData {
    static final DeploymentEnvironment ENVIRONMENT = DeploymentEnvironment.STAGING;
    static final int DAYS = 30;
    static final int FULL_IN_WINDOW = 28;
    static final int FAILED_DAYS_AGO = 5;
    static final int UNVERIFIED_DAYS_AGO = 9;
    static final int INCOMPLETE_DAYS_AGO = 14;
    static final int BASE_IN_WINDOW = 4;
    static final int WINDOW_BASE_DAYS_AGO = 9;
    static final long SEGMENT_BYTES = 16L << 20;
    static final String HOLE = "000000010000000000000025..000000010000000000000027";
    /** Archived segments: 0x10 to 0x4F, less the three of the hole. */
    static final int SEGMENTS = 64 - 3;
    private static final int[] BASE_DAYS_AGO = {23, 16, WINDOW_BASE_DAYS_AGO, 2};
    private static final int[] BASE_FIRST_SEGMENT = {0x10, 0x20, 0x30, 0x40};

    private final Instant now;
    /** Object name (below the environment's prefix or the backup directory) to content, and when it was written. */
    private final Map<String, byte[]> objects = new LinkedHashMap<>();
    private final Map<String, Instant> written = new LinkedHashMap<>();

    ReportSampleData(Instant now) {
        this.now = now;
        for (int daysAgo = 0; daysAgo < FULL_IN_WINDOW; daysAgo++) {
            full(daysAgo);
        }
        for (int daysAgo : new int[] {40, 41, 42}) {
            full(daysAgo);
        }
        for (int i = 0; i < BASE_DAYS_AGO.length; i++) {
            base(BASE_DAYS_AGO[i], BASE_FIRST_SEGMENT[i]);
        }
        wal();
    }

    /** 02:00 UTC on the day {@code daysAgo} days before now's (a backup not yet taken today is yesterday's). */
    Instant backupTime(int daysAgo) {
        Instant today = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(2));
        Instant latest = today.isAfter(now) ? today.minus(Duration.ofDays(1)) : today;
        return latest.minus(Duration.ofDays(daysAgo));
    }

    private void full(int daysAgo) {
        Instant taken = backupTime(daysAgo);
        BackupNames names = BackupNames.of(ENVIRONMENT, taken, BackupFormat.PLAIN);
        // A database that grows a little every day, with a bump where the failed one was.
        long compressed = 1_200_000_000L + (60L - daysAgo) * 9_000_000L + (daysAgo % 7) * 3_000_000L;
        long millis = 600_000 + (60 - daysAgo) * 4_000L + (daysAgo % 5) * 20_000L;
        put(names.dataFile(), new byte[(int) (64 + daysAgo)], taken.plusMillis(millis));
        if (daysAgo == INCOMPLETE_DAYS_AGO) {
            return;
        }
        BackupManifest manifest = BackupManifest.full().environment(ENVIRONMENT.id()).database("neurocred")
                .ran(taken, taken.plusMillis(millis)).format("plain").compression("gzip").dataFile(names.dataFile())
                .compressedBytes(compressed).uncompressedBytes(compressed * 6).build();
        put(names.manifest(), json(manifest), taken.plusMillis(millis));
        if (daysAgo == UNVERIFIED_DAYS_AGO) {
            return;
        }
        boolean failed = daysAgo == FAILED_DAYS_AGO;
        long restore = 2_700_000 + (60 - daysAgo) * 15_000L + (daysAgo % 4) * 60_000L;
        List<VerificationRecord.Check> checks = failed
                ? List.of(new VerificationRecord.Check("compression", true, "gzip stream intact"),
                        new VerificationRecord.Check("restore", false, "table public.payments has 0 rows, the manifest says 48211"))
                : List.of(new VerificationRecord.Check("compression", true, "gzip stream intact"),
                        new VerificationRecord.Check("restore", true, "restored and checked"));
        VerificationRecord record = new VerificationRecord(VerificationRecord.VERSION, ENVIRONMENT.id(),
                names.manifest().replaceAll(".*_(\\d{8}_\\d{6})\\.json", "$1"), names.dataFile(), names.manifest(),
                failed ? VerificationRecord.FAILED : VerificationRecord.SUCCESSFUL, false, taken.plusMillis(millis).toString(),
                taken.plusMillis(millis + restore).toString(), restore, restore, compressed, 80.0, checks);
        put(names.verification(), json(record), taken.plusMillis(millis + restore));
    }

    private void base(int daysAgo, int firstSegment) {
        Instant taken = backupTime(daysAgo).plus(Duration.ofHours(1));
        BackupNames names = BackupNames.of(ENVIRONMENT, taken, BackupFormat.TAR);
        long millis = 1_500_000 + daysAgo * 10_000L;
        String start = WalSequence.segmentName(1, firstSegment, SEGMENT_BYTES);
        BackupManifest manifest = BackupManifest.base().environment(ENVIRONMENT.id()).ran(taken, taken.plusMillis(millis))
                .format("tar").compression("gzip").dataFile(names.dataFile()).compressedBytes(3_400_000_000L + daysAgo * 1_000_000L)
                .walStart(new BackupManifest.WalPosition("0/" + Integer.toHexString(firstSegment) + "000028", start))
                .walSegmentBytes(SEGMENT_BYTES).build();
        String base = BackupNames.BASE_FOLDER + "/";
        put(base + names.dataFile(), new byte[64], taken.plusMillis(millis));
        put(base + names.manifest(), json(manifest), taken.plusMillis(millis));
        VerificationRecord record = new VerificationRecord(VerificationRecord.VERSION, ENVIRONMENT.id(),
                BackupNames.TIMESTAMP.format(taken), names.dataFile(), names.manifest(), VerificationRecord.SUCCESSFUL, false,
                taken.plusMillis(millis).toString(), taken.plusMillis(millis * 3).toString(), millis * 2, millis * 2,
                3_400_000_000L, 120.0, List.of(new VerificationRecord.Check("base_backup", true, "every file matches its checksum")));
        put(base + names.verification(), json(record), taken.plusMillis(millis * 3));
    }

    /** Segments 0x10 to 0x4F, spread evenly from the oldest base backup to an hour ago, less the hole. */
    private void wal() {
        Instant first = backupTime(BASE_DAYS_AGO[0]).plus(Duration.ofHours(1));
        Duration step = Duration.between(first, now.minus(Duration.ofHours(1))).dividedBy(0x4F - 0x10);
        for (int segment = 0x10; segment <= 0x4F; segment++) {
            if (segment >= 0x25 && segment <= 0x27) {
                continue;
            }
            put("wal/" + WalSequence.segmentName(1, segment, SEGMENT_BYTES) + ".gz", new byte[32],
                    first.plus(step.multipliedBy(segment - 0x10)));
        }
    }

    private void put(String name, byte[] content, Instant at) {
        objects.put(name, content);
        written.put(name, at);
    }

    private static byte[] json(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Into a backup directory, each file dated when the job would have written it. */
    void writeTo(Path backupDir) throws IOException {
        for (Map.Entry<String, byte[]> object : objects.entrySet()) {
            Path file = backupDir.resolve(object.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, object.getValue());
            Files.setLastModifiedTime(file, FileTime.from(written.get(object.getKey())));
        }
    }

    /** Into a bucket under the environment's prefix (S3 dates each object by its upload: now). */
    void writeTo(S3Client s3, String bucket) {
        objects.forEach((name, content) -> s3.putObject(r -> r.bucket(bucket).key(BackupNames.s3Prefix(ENVIRONMENT) + name),
                RequestBody.fromBytes(content)));
    }
}
