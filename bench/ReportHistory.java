import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.wal.WalSequence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A production-sized history for bench/report.sh: a year of one environment's backups as the jobs store them (real
 * manifests and verification records, like cli/src/test/.../ReportSampleData's month, which the tests use):
 * <ul>
 * <li>{@value #DAYS} daily full backups at 02:00 UTC, each with its manifest (with {@value #TABLES} tables' row
 * counts, as a real one carries) and verification record; every 53rd failed, every 61st never verified, every 97th
 * without a manifest, so the report has problems to list;
 * <li>{@value #BASES} weekly base backups (Sundays 03:00), manifest and record each;
 * <li>a WAL archive of {@value #DAYS} × 96 segments (one 16 MB segment every 15 minutes) from a year ago to now,
 * without holes; the oldest base backup starts at its first segment.
 * </ul>
 * Data files and WAL objects are tiny (the report reads their names, sizes and dates only). Run as
 * {@code java -cp neurocred-backup.jar bench/ReportHistory.java DIR} (a backup directory, files dated as the jobs
 * would have written them) or {@code ... s3 BUCKET} (the environment's prefix in a bucket that exists, at
 * {@code AWS_ENDPOINT_URL}; S3 dates each object by its upload). Prints how many objects it wrote.
 */
public final class ReportHistory {
    static final DeploymentEnvironment ENVIRONMENT = DeploymentEnvironment.PRODUCTION;
    static final int DAYS = 365;
    static final int BASES = 52;
    static final int SEGMENTS_PER_DAY = 96;
    static final int TABLES = 24;
    static final long SEGMENT_BYTES = 16L << 20;

    private record StoredFile(String name, byte[] content, Instant written) {
    }

    private final Instant now;
    private final List<StoredFile> files = new ArrayList<>();

    ReportHistory(Instant now) throws Exception {
        this.now = now;
        Instant firstSegmentAt = now.minus(Duration.ofDays(DAYS));
        for (int daysAgo = 0; daysAgo < DAYS; daysAgo++) {
            full(daysAgo);
        }
        for (int week = 0; week < BASES; week++) {
            Instant taken = backupTime(week * 7 + 1).plus(Duration.ofHours(1));
            long segment = Math.max(0, Duration.between(firstSegmentAt, taken).toMinutes() / 15);
            base(taken, segment);
        }
        for (long segment = 0; segment < (long) DAYS * SEGMENTS_PER_DAY; segment++) {
            put("wal/" + WalSequence.segmentName(1, 0x100 + segment, SEGMENT_BYTES) + ".gz", new byte[32],
                    firstSegmentAt.plus(Duration.ofMinutes(15 * segment + 15)));
        }
    }

    /** 02:00 UTC on the day {@code daysAgo} days before now's (a backup not yet taken today is yesterday's). */
    private Instant backupTime(int daysAgo) {
        Instant today = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(2));
        Instant latest = today.isAfter(now) ? today.minus(Duration.ofDays(1)) : today;
        return latest.minus(Duration.ofDays(daysAgo));
    }

    private void full(int daysAgo) throws Exception {
        Instant taken = backupTime(daysAgo);
        BackupNames names = BackupNames.of(ENVIRONMENT, taken, BackupFormat.PLAIN);
        // A database that grows every day (about 40 GB compressed a year ago, 70 GB now), with a weekly rhythm.
        long compressed = 70_000_000_000L - daysAgo * 80_000_000L + (daysAgo % 7) * 300_000_000L;
        long millis = 2_400_000 - daysAgo * 2_000L + (daysAgo % 5) * 60_000L;
        Instant finished = taken.plusMillis(millis);
        put(names.dataFile(), new byte[64], finished);
        if (daysAgo % 97 == 50) {
            return;
        }
        List<BackupManifest.TableRows> tables = new ArrayList<>();
        for (int t = 0; t < TABLES; t++) {
            tables.add(new BackupManifest.TableRows("public.table_" + t, 1_000_000L * (t + 1) - daysAgo * 1_000L * (t + 1)));
        }
        BackupManifest manifest = BackupManifest.full().environment(ENVIRONMENT.id()).database("neurocred")
                .host("db.internal.example").ran(taken, finished).format("plain").compression("gzip").compressionLevel(6)
                .dataFile(names.dataFile()).compressedBytes(compressed).uncompressedBytes(compressed * 6)
                .serverVersion("15.18").toolVersion("pg_dump (PostgreSQL) 15.18").retentionDays(ENVIRONMENT.defaultRetentionDays())
                .rowCountSource("pg_class.reltuples").tables(tables).databaseBytes(compressed * 9).build();
        put(names.manifest(), Json.MAPPER.writeValueAsBytes(manifest), finished);
        if (daysAgo % 61 == 30) {
            return;
        }
        boolean failed = daysAgo % 53 == 20;
        long restore = 5_400_000 - daysAgo * 4_000L + (daysAgo % 4) * 120_000L;
        List<VerificationRecord.Check> checks = List.of(
                new VerificationRecord.Check("checksum", true, "sha256 matches the manifest"),
                new VerificationRecord.Check("compression", true, "gzip stream intact"),
                new VerificationRecord.Check("row_counts", true, "24 tables within 1% of the manifest"),
                failed ? new VerificationRecord.Check("restore", false, "table public.table_3 has 0 rows, the manifest says 4000000")
                        : new VerificationRecord.Check("restore", true, "restored and checked"));
        VerificationRecord record = new VerificationRecord(VerificationRecord.VERSION, ENVIRONMENT.id(),
                BackupNames.TIMESTAMP.format(taken), names.dataFile(), names.manifest(),
                failed ? VerificationRecord.FAILED : VerificationRecord.SUCCESSFUL, false, finished.toString(),
                finished.plusMillis(restore).toString(), restore, restore, compressed, 120.0, checks);
        put(names.verification(), Json.MAPPER.writeValueAsBytes(record), finished.plusMillis(restore));
    }

    private void base(Instant taken, long firstSegment) throws Exception {
        BackupNames names = BackupNames.of(ENVIRONMENT, taken, BackupFormat.TAR);
        long millis = 3_600_000;
        String start = WalSequence.segmentName(1, 0x100 + firstSegment, SEGMENT_BYTES);
        long lsn = (0x100 + firstSegment) * SEGMENT_BYTES + 0x28;
        BackupManifest manifest = BackupManifest.base().environment(ENVIRONMENT.id()).ran(taken, taken.plusMillis(millis))
                .format("tar").compression("gzip").dataFile(names.dataFile()).compressedBytes(90_000_000_000L)
                .walStart(new BackupManifest.WalPosition(Long.toHexString(lsn >>> 32).toUpperCase() + "/"
                        + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase(), start))
                .walSegmentBytes(SEGMENT_BYTES).build();
        String folder = BackupNames.BASE_FOLDER + "/";
        put(folder + names.dataFile(), new byte[64], taken.plusMillis(millis));
        put(folder + names.manifest(), Json.MAPPER.writeValueAsBytes(manifest), taken.plusMillis(millis));
        VerificationRecord record = new VerificationRecord(VerificationRecord.VERSION, ENVIRONMENT.id(),
                BackupNames.TIMESTAMP.format(taken), names.dataFile(), names.manifest(), VerificationRecord.SUCCESSFUL, false,
                taken.plusMillis(millis).toString(), taken.plusMillis(millis * 3).toString(), millis * 2, millis * 2,
                90_000_000_000L, 120.0, List.of(new VerificationRecord.Check("base_backup", true, "every file matches its checksum")));
        put(folder + names.verification(), Json.MAPPER.writeValueAsBytes(record), taken.plusMillis(millis * 3));
    }

    private void put(String name, byte[] content, Instant at) {
        files.add(new StoredFile(name, content, at));
    }

    public static void main(String[] args) throws Exception {
        ReportHistory history = new ReportHistory(Instant.now());
        if (args.length == 1) {
            Path dir = Path.of(args[0]);
            for (StoredFile file : history.files) {
                Path path = dir.resolve(file.name());
                Files.createDirectories(path.getParent());
                Files.write(path, file.content());
                Files.setLastModifiedTime(path, FileTime.from(file.written()));
            }
        } else if (args.length == 2 && args[0].equals("s3")) {
            String prefix = BackupNames.s3Prefix(ENVIRONMENT);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try (AwsClients aws = AwsClients.fromEnvironment()) {
                S3Client s3 = aws.s3();
                List<Future<?>> puts = new ArrayList<>();
                for (StoredFile file : history.files) {
                    puts.add(pool.submit(() -> s3.putObject(r -> r.bucket(args[1]).key(prefix + file.name()),
                            RequestBody.fromBytes(file.content()))));
                }
                for (Future<?> put : puts) {
                    put.get();
                }
            } finally {
                pool.shutdown();
            }
        } else {
            System.err.println("usage: ReportHistory DIR | ReportHistory s3 BUCKET");
            System.exit(2);
        }
        System.out.println(history.files.size());
    }
}
