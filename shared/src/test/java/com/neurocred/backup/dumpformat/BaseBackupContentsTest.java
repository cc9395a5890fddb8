package com.neurocred.backup.dumpformat;

import static com.neurocred.backup.dumpformat.TarBytes.archive;
import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.dumpformat.BaseBackupContents.Label;
import com.neurocred.backup.dumpformat.BaseBackupContents.ManifestSummary;
import com.neurocred.backup.dumpformat.BaseBackupContents.WalRange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseBackupContentsTest {
    /** backup_label as pg_basebackup writes it. */
    private static final String LABEL = """
            START WAL LOCATION: 0/2000028 (file 000000010000000000000002)
            CHECKPOINT LOCATION: 0/2000060
            BACKUP METHOD: streamed
            BACKUP FROM: primary
            START TIME: 2026-11-29 13:00:00 UTC
            LABEL: pg_basebackup base backup
            START TIMELINE: 1
            """;
    private static final String WAL_RANGES = """
            "WAL-Ranges": [
            { "Timeline": 1, "Start-LSN": "0/2000028", "End-LSN": "0/2000138" }
            ],
            """;
    private static final byte[] PG_CONTROL = pseudoRandom(8192);

    @TempDir
    Path dir;

    /** The data directory's files, in archive order (backup_manifest comes last, as PostgreSQL appends it). */
    private static Map<String, byte[]> dataFiles() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("backup_label", LABEL.getBytes(StandardCharsets.UTF_8));
        files.put("PG_VERSION", "17\n".getBytes(StandardCharsets.UTF_8));
        files.put("global/pg_control", PG_CONTROL);
        files.put("base/1/1259", pseudoRandom(1000));
        files.put("base/1/PG_VERSION", "17\n".getBytes(StandardCharsets.UTF_8));
        return files;
    }

    private static byte[] pseudoRandom(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    /** PostgreSQL's manifest checksum: CRC32C's bytes in memory order (little-endian), as hex. */
    private static String pgCrc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return HexFormat.of().formatHex(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                .putInt((int) crc.getValue()).array());
    }

    private static String sha256(byte[] data, int length) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(data, 0, length);
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A file line of the manifest, as PostgreSQL writes it. */
    private static String fileLine(String path, long size, String algorithm, String checksum) {
        return "{ \"Path\": \"" + path + "\", \"Size\": " + size + ", \"Last-Modified\": \"2026-11-29 13:00:00 GMT\""
                + (algorithm == null ? "" : ", \"Checksum-Algorithm\": \"" + algorithm + "\", \"Checksum\": \"" + checksum + "\"")
                + " }";
    }

    /** backup_manifest's text up to its checksum line, which covers all of it. */
    private static String manifestBody(List<String> fileLines) {
        return "{ \"PostgreSQL-Backup-Manifest-Version\": 1,\n\"Files\": [\n" + String.join(",\n", fileLines) + "\n],\n"
                + WAL_RANGES;
    }

    private static String sealed(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return body + "\"Manifest-Checksum\": \"" + sha256(b, b.length) + "\"}\n";
    }

    private static List<String> fileLines(Map<String, byte[]> files) {
        List<String> lines = new ArrayList<>();
        files.forEach((path, data) -> lines.add(fileLine(path, data.length, "CRC32C", pgCrc32c(data))));
        return lines;
    }

    private static String manifestOf(Map<String, byte[]> files) {
        return sealed(manifestBody(fileLines(files)));
    }

    private static byte[] tarOf(Map<String, byte[]> files, String manifest) {
        TarBytes.Builder tar = archive().dir("base/").dir("base/1/").dir("global/").dir("pg_wal/");
        files.forEach(tar::file);
        if (manifest != null) {
            tar.file("backup_manifest", manifest);
        }
        return tar.end().bytes();
    }

    private static BaseBackupContents read(byte[] tar) throws IOException {
        BaseBackupContents contents = new BaseBackupContents();
        TarBytes.feed(contents.parser(), tar, tar.length);
        return contents;
    }

    @Test
    void problems_should_beNone_when_theArchiveMatchesItsManifest() throws IOException {
        String manifest = manifestOf(dataFiles());
        BaseBackupContents contents = read(tarOf(dataFiles(), manifest));

        assertThat(contents.problems()).isEmpty();
        assertThat(contents.parser().entries()).isEqualTo(10);
        assertThat(contents.label()).contains(new Label("0/2000028", "000000010000000000000002", 1, "2026-11-29 13:00:00 UTC"));
        assertThat(contents.hasManifest()).isTrue();
        assertThat(contents.walRanges()).containsExactly(new WalRange(1, "0/2000028", "0/2000138"));
        byte[] m = manifest.getBytes(StandardCharsets.UTF_8);
        long bytes = dataFiles().values().stream().mapToLong(b -> b.length).sum();
        assertThat(contents.manifestSummary()).contains(new ManifestSummary(5, bytes, "CRC32C", sha256(m, m.length)));
    }

    @Test
    void problems_should_beNone_when_gnuTarWroteTheDataDirectory() throws IOException {
        List<String> names = new ArrayList<>(List.of("base", "base/1", "global", "pg_wal"));
        for (String d : names) {
            Files.createDirectories(dir.resolve(d));
        }
        dataFiles().forEach((path, data) -> {
            try {
                Files.write(dir.resolve(path), data);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Files.writeString(dir.resolve("backup_manifest"), manifestOf(dataFiles()));
        names.addAll(dataFiles().keySet());
        names.add("backup_manifest");
        byte[] tar = TarBytes.systemTar(dir, "ustar", names.toArray(String[]::new));

        for (int chunk : new int[] {1, 511, 513, tar.length}) {
            BaseBackupContents contents = new BaseBackupContents();
            TarBytes.feed(contents.parser(), tar, chunk);
            assertThat(contents.problems()).as("chunk " + chunk).isEmpty();
            assertThat(contents.manifestSummary()).as("chunk " + chunk).map(ManifestSummary::files).contains(5);
        }
    }

    @Test
    void problems_should_checkPostgresqlsByteOrder_when_comparingCrc32c() throws IOException {
        // CRC-32C of "123456789" is 0xE3069283; PostgreSQL writes its bytes little-endian.
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("backup_label", LABEL.getBytes(StandardCharsets.UTF_8));
        files.put("check", "123456789".getBytes(StandardCharsets.US_ASCII));
        String body = manifestBody(List.of(
                fileLine("backup_label", LABEL.length(), "CRC32C", pgCrc32c(LABEL.getBytes(StandardCharsets.UTF_8))),
                fileLine("check", 9, "CRC32C", "839206e3")));

        assertThat(read(tarOf(files, sealed(body))).problems()).isEmpty();
        assertThat(read(tarOf(files, sealed(body.replace("839206e3", "839206E3")))).problems()).isEmpty();
        assertThat(read(tarOf(files, sealed(body.replace("839206e3", "e3069283")))).problems())
                .containsExactly("1 files differ from backup_manifest, e.g. [check (CRC32C 839206e3, the manifest says e3069283)]");
    }

    @Test
    void problems_should_nameTheFile_when_itsContentWasAltered() throws IOException {
        Map<String, byte[]> altered = dataFiles();
        byte[] control = PG_CONTROL.clone();
        control[4000] ^= 1;
        altered.put("global/pg_control", control);

        BaseBackupContents contents = read(tarOf(altered, manifestOf(dataFiles())));

        assertThat(contents.problems()).containsExactly("1 files differ from backup_manifest, e.g. [global/pg_control (CRC32C "
                + pgCrc32c(control) + ", the manifest says " + pgCrc32c(PG_CONTROL) + ")]");
    }

    @Test
    void problems_should_nameTheFile_when_itsSizeDiffers() throws IOException {
        Map<String, byte[]> altered = dataFiles();
        altered.put("PG_VERSION", "17\n\n".getBytes(StandardCharsets.UTF_8));
        altered.put("base/1/PG_VERSION", "1\n".getBytes(StandardCharsets.UTF_8));

        BaseBackupContents contents = read(tarOf(altered, manifestOf(dataFiles())));

        assertThat(contents.problems()).containsExactly("2 files differ from backup_manifest, e.g. "
                + "[PG_VERSION (4 bytes, the manifest says 3), base/1/PG_VERSION (2 bytes, the manifest says 3)]");
    }

    @Test
    void problems_should_notCompareContent_when_theManifestUsesAnotherAlgorithm() throws IOException {
        Map<String, byte[]> files = dataFiles();
        List<String> lines = new ArrayList<>();
        // Only CRC32C is computed; SHA-256 and no checksum at all are taken on size alone.
        files.forEach((path, data) -> lines.add(path.equals("PG_VERSION")
                ? fileLine(path, data.length, "SHA256", "00".repeat(32))
                : path.equals("base/1/1259") ? fileLine(path, data.length, null, null)
                : fileLine(path, data.length, "CRC32C", pgCrc32c(data))));

        BaseBackupContents contents = read(tarOf(files, sealed(manifestBody(lines))));

        assertThat(contents.problems()).isEmpty();
        // The algorithm is the last one named: a file without one leaves it as it was.
        assertThat(contents.manifestSummary()).map(ManifestSummary::checksumAlgorithm).contains("CRC32C");
    }

    @Test
    void manifestSummary_should_haveNoAlgorithm_when_noFileNamesOne() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("backup_label", LABEL.getBytes(StandardCharsets.UTF_8));
        String manifest = sealed(manifestBody(List.of(fileLine("backup_label", LABEL.length(), null, null))));

        BaseBackupContents contents = read(tarOf(files, manifest));

        byte[] m = manifest.getBytes(StandardCharsets.UTF_8);
        assertThat(contents.manifestSummary()).contains(new ManifestSummary(1, LABEL.length(), null, sha256(m, m.length)));
        assertThat(contents.problems()).isEmpty();
    }

    @Test
    void problems_should_listTheFirstThreeMissing_when_filesWereRemoved() throws IOException {
        Map<String, byte[]> listed = dataFiles();
        listed.put("base/1/2608", new byte[0]);
        listed.put("base/1/1249", new byte[0]);
        listed.put("global/1262", new byte[0]);
        listed.put("pg_tblspc", new byte[0]);
        // A directory or a symlink of a listed name is not the file.
        byte[] tar = archive().dir("pg_tblspc").symlink("global/1262", "/etc/passwd").bytes();
        byte[] whole = concat(tar, tarOf(dataFiles(), manifestOf(listed)));

        BaseBackupContents contents = read(whole);

        assertThat(contents.problems()).containsExactly(
                "4 files listed in backup_manifest are not in the archive, e.g. [base/1/1249, base/1/2608, global/1262]");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void problems_should_reportBoth_when_filesAreMissingAndOthersDiffer() throws IOException {
        Map<String, byte[]> archived = dataFiles();
        archived.remove("base/1/1259");
        archived.put("PG_VERSION", "16\n".getBytes(StandardCharsets.UTF_8));

        assertThat(read(tarOf(archived, manifestOf(dataFiles()))).problems()).containsExactly(
                "1 files listed in backup_manifest are not in the archive, e.g. [base/1/1259]",
                "1 files differ from backup_manifest, e.g. [PG_VERSION (CRC32C " + pgCrc32c("16\n".getBytes(StandardCharsets.UTF_8))
                        + ", the manifest says " + pgCrc32c("17\n".getBytes(StandardCharsets.UTF_8)) + ")]");
    }

    @Test
    void problems_should_say_when_theManifestsOwnChecksumDoesNotMatch() throws IOException {
        String manifest = manifestOf(dataFiles());
        // A file line edited after the checksum was written: the manifest no longer vouches for itself.
        String edited = manifest.replace("\"Size\": 3,", "\"Size\": 3 ,");
        String covered = edited.substring(0, edited.lastIndexOf("\"Manifest-Checksum\""));
        String recorded = sha256(manifestBody(fileLines(dataFiles())).getBytes(StandardCharsets.UTF_8),
                manifestBody(fileLines(dataFiles())).getBytes(StandardCharsets.UTF_8).length);

        assertThat(edited).isNotEqualTo(manifest);
        assertThat(read(tarOf(dataFiles(), edited)).problems()).containsExactly("backup_manifest's own checksum does not match ("
                + sha256(covered.getBytes(StandardCharsets.UTF_8), covered.getBytes(StandardCharsets.UTF_8).length)
                + ", recorded " + recorded + ")");
        assertThat(read(tarOf(dataFiles(), manifest.replace(recorded, recorded.toUpperCase()))).problems()).isEmpty();
    }

    @Test
    void problems_should_say_when_theManifestHasNoChecksum() throws IOException {
        String body = manifestBody(fileLines(dataFiles()));
        String withoutChecksum = body + "\"Other\": 1}\n";
        // The field present, but not on a line of its own: there is no line it could cover up to.
        String oneLine = sealed(body).replace("\n\"Manifest-Checksum\"", " \"Manifest-Checksum\"");
        String emptyChecksum = body + "\"Manifest-Checksum\": \"\"}\n";

        for (String manifest : new String[] {withoutChecksum, oneLine, emptyChecksum}) {
            assertThat(read(tarOf(dataFiles(), manifest)).problems()).as(manifest)
                    .containsExactly("backup_manifest has no Manifest-Checksum");
        }
    }

    @Test
    void problems_should_say_when_theManifestIsNotJson() throws IOException {
        BaseBackupContents contents = read(tarOf(dataFiles(), "{ \"Files\": [ truncated"));

        assertThat(contents.problems()).containsExactly("backup_manifest is not valid JSON");
        assertThat(contents.hasManifest()).isTrue();
        assertThat(contents.walRanges()).isEmpty();
        assertThat(contents.manifestSummary()).isEmpty();
    }

    @Test
    void problems_should_notAskForAManifest_when_theBackupWasTakenWithoutOne() throws IOException {
        BaseBackupContents contents = read(tarOf(dataFiles(), null));

        assertThat(contents.problems()).isEmpty();
        assertThat(contents.hasManifest()).isFalse();
        assertThat(contents.walRanges()).isEmpty();
        assertThat(contents.manifestSummary()).isEmpty();
        assertThat(contents.label()).map(Label::startWalFile).contains("000000010000000000000002");
    }

    @Test
    void problems_should_say_when_thereIsNoBackupLabel() throws IOException {
        Map<String, byte[]> files = dataFiles();
        files.remove("backup_label");
        // Not the backup_label: one in a subdirectory, or a directory of that name.
        byte[] tar = concat(archive().file("base/backup_label", LABEL).dir("backup_label").bytes(), tarOf(files, null));

        BaseBackupContents contents = read(tar);

        assertThat(contents.problems()).containsExactly("no backup_label in the archive: it is not a pg_basebackup base backup");
        assertThat(contents.label()).isEmpty();
    }

    @Test
    void problems_should_say_when_theBackupLabelLacksTheStartLocationOrTimeline() throws IOException {
        for (String label : new String[] {
                LABEL.replace("START TIMELINE: 1\n", ""),
                LABEL.replace("START WAL LOCATION", "START XLOG LOCATION"),
                LABEL.replace("(file 000000010000000000000002)", "(file 00000001000000000000002)"),
                ""}) {
            Map<String, byte[]> files = dataFiles();
            files.put("backup_label", label.getBytes(StandardCharsets.UTF_8));

            BaseBackupContents contents = read(tarOf(files, null));

            assertThat(contents.problems()).as(label).containsExactly("backup_label does not name the start WAL location and timeline");
            assertThat(contents.label()).as(label).isEmpty();
        }
    }

    @Test
    void label_should_readTimelineAndLeaveNoStartTime_when_theLabelHasNone() throws IOException {
        Map<String, byte[]> files = dataFiles();
        files.put("backup_label", """
                START WAL LOCATION: 1A/FF000028 (file 0000000C0000001A000000FF)
                CHECKPOINT LOCATION: 1A/FF000060
                START TIMELINE: 12
                """.getBytes(StandardCharsets.UTF_8));

        assertThat(read(tarOf(files, null)).label())
                .contains(new Label("1A/FF000028", "0000000C0000001A000000FF", 12, null));
    }

    @Test
    void problems_should_say_when_theArchiveIsCutShort() throws IOException {
        byte[] tar = tarOf(dataFiles(), manifestOf(dataFiles()));
        BaseBackupContents contents = new BaseBackupContents();

        // Cut inside the manifest's data: no end marker, and no manifest either.
        contents.parser().update(tar, 0, tar.length - 2 * TarBytes.BLOCK - 600);

        assertThat(contents.problems()).containsExactly(
                "the tar archive ends before its end-of-archive marker: the base backup was cut short");
        assertThat(contents.hasManifest()).isFalse();
        assertThat(contents.label()).isPresent();
    }

    @Test
    void problems_should_listEveryKind_when_theArchiveIsEmptyButForAManifest() throws IOException {
        byte[] tar = archive().file("backup_manifest", manifestOf(dataFiles())).bytes();

        assertThat(read(tar).problems()).containsExactly(
                "the tar archive ends before its end-of-archive marker: the base backup was cut short",
                "no backup_label in the archive: it is not a pg_basebackup base backup",
                "5 files listed in backup_manifest are not in the archive, e.g. [PG_VERSION, backup_label, base/1/1259]");
    }

    @Test
    void walRanges_should_listEach_when_theTimelineChangedDuringTheBackup() throws IOException {
        String manifest = sealed(manifestBody(fileLines(dataFiles())).replace(WAL_RANGES, """
                "WAL-Ranges": [
                { "Timeline": 1, "Start-LSN": "0/2000028", "End-LSN": "0/3000000" },
                { "Timeline": 2, "Start-LSN": "0/3000000", "End-LSN": "0/30000D8" }
                ],
                """));

        BaseBackupContents contents = read(tarOf(dataFiles(), manifest));

        assertThat(contents.walRanges()).containsExactly(new WalRange(1, "0/2000028", "0/3000000"),
                new WalRange(2, "0/3000000", "0/30000D8"));
        assertThat(contents.problems()).isEmpty();
    }

    @Test
    void entryCallbacks_should_reachTheOtherListener_when_oneIsGiven() throws IOException {
        TarBytes.Recorder extractor = new TarBytes.Recorder();
        BaseBackupContents contents = new BaseBackupContents(extractor);
        byte[] tar = archive().dir("global/").file("backup_label", LABEL).file("global/pg_control", "ctl").end().bytes();

        TarBytes.feed(contents.parser(), tar, 100);

        assertThat(extractor.events).containsExactly("start global/", "end global/: ", "start backup_label",
                "end backup_label: " + LABEL, "start global/pg_control", "end global/pg_control: ctl");
        assertThat(contents.label()).isPresent();
    }

    @Test
    void entryStarted_should_notReserveTheDeclaredSize_when_aLabelClaimsTerabytes() throws IOException {
        // A header altered to claim 1 TiB must not make the reader allocate it up front.
        byte[] header = TarBytes.fileHeader("backup_label", 0);
        java.util.Arrays.fill(header, 124, 136, (byte) 0);
        header[124] = (byte) 0x80;
        header[130] = 1;
        TarBytes.seal(header);
        BaseBackupContents contents = new BaseBackupContents();

        contents.parser().update(header, 0, header.length);
        contents.parser().update(LABEL.getBytes(StandardCharsets.UTF_8), 0, LABEL.length());

        assertThat(contents.problems()).contains("the tar archive ends before its end-of-archive marker: the base backup was cut short");
    }
}
