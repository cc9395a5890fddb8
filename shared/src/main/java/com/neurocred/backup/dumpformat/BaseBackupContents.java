package com.neurocred.backup.dumpformat;

import com.neurocred.backup.digest.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * What a pg_basebackup tar holds, checked as it streams: every file's size and CRC32C against the
 * {@code backup_manifest} PostgreSQL puts at the end of the archive (what pg_verifybackup checks, without
 * writing anything to disk), and the {@code backup_label} that says where recovery must start.
 */
public final class BaseBackupContents implements TarStreamParser.Listener {
    private static final String LABEL = "backup_label";
    private static final String MANIFEST = "backup_manifest";
    private static final Pattern START_WAL = Pattern.compile(
            "START WAL LOCATION: ([0-9A-F]+/[0-9A-F]+) \\(file ([0-9A-F]{24})\\)");
    private static final Pattern START_TIMELINE = Pattern.compile("START TIMELINE: (\\d+)");
    private static final Pattern START_TIME = Pattern.compile("START TIME: (.+)");

    /** Where the backup starts in the WAL stream, from backup_label. */
    public record Label(String startLsn, String startWalFile, int timeline, String startTime) {
    }

    /** The WAL range the backup needs, from backup_manifest. */
    public record WalRange(int timeline, String startLsn, String endLsn) {
    }

    /** A summary of the manifest for our own manifest: how many files it lists and their bytes. */
    public record ManifestSummary(int files, long bytes, String checksumAlgorithm, String manifestSha256) {
    }

    private record FileSeen(long size, int crc32c) {
    }

    private final TarStreamParser parser = new TarStreamParser(this);
    private final TarStreamParser.Listener alsoTo;
    private final Map<String, FileSeen> files = new HashMap<>();
    private TarStreamParser.Entry current;
    private final CRC32C crc = new CRC32C();
    private long currentBytes;
    private ByteArrayOutputStream captured;
    private byte[] label;
    private byte[] manifest;

    public BaseBackupContents() {
        this(null);
    }

    /** Checks the archive and hands every member on to {@code alsoTo} as well (an extractor). */
    public BaseBackupContents(TarStreamParser.Listener alsoTo) {
        this.alsoTo = alsoTo;
    }

    /** The parser to feed the archive's bytes to. */
    public TarStreamParser parser() {
        return parser;
    }

    @Override
    public void entryStarted(TarStreamParser.Entry entry) throws IOException {
        if (alsoTo != null) {
            alsoTo.entryStarted(entry);
        }
        current = entry;
        crc.reset();
        currentBytes = 0;
        captured = entry.isFile() && (entry.name().equals(LABEL) || entry.name().equals(MANIFEST))
                ? new ByteArrayOutputStream((int) Math.min(entry.size(), 1 << 20)) : null;
    }

    @Override
    public void entryData(byte[] b, int off, int len) throws IOException {
        if (alsoTo != null) {
            alsoTo.entryData(b, off, len);
        }
        crc.update(b, off, len);
        currentBytes += len;
        if (captured != null) {
            captured.write(b, off, len);
        }
    }

    @Override
    public void entryEnded() throws IOException {
        if (alsoTo != null) {
            alsoTo.entryEnded();
        }
        if (current.isFile()) {
            files.put(current.name(), new FileSeen(currentBytes, (int) crc.getValue()));
            if (current.name().equals(LABEL)) {
                label = captured.toByteArray();
            } else if (current.name().equals(MANIFEST)) {
                manifest = captured.toByteArray();
            }
        }
        captured = null;
    }

    /** What is wrong with the archive read so far, as a whole base backup; empty when it is complete and intact. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!parser.ended()) {
            problems.add("the tar archive ends before its end-of-archive marker: the base backup was cut short");
        }
        if (label == null) {
            problems.add("no backup_label in the archive: it is not a pg_basebackup base backup");
        } else if (label().isEmpty()) {
            problems.add("backup_label does not name the start WAL location and timeline");
        }
        if (manifest != null) {
            problems.addAll(manifestProblems());
        }
        return problems;
    }

    public Optional<Label> label() {
        if (label == null) {
            return Optional.empty();
        }
        String text = new String(label, StandardCharsets.UTF_8);
        Matcher wal = START_WAL.matcher(text);
        Matcher timeline = START_TIMELINE.matcher(text);
        Matcher time = START_TIME.matcher(text);
        if (!wal.find() || !timeline.find()) {
            return Optional.empty();
        }
        return Optional.of(new Label(wal.group(1), wal.group(2), Integer.parseInt(timeline.group(1)),
                time.find() ? time.group(1).strip() : null));
    }

    public boolean hasManifest() {
        return manifest != null;
    }

    /** The WAL ranges backup_manifest lists (one, unless the timeline changed during the backup). */
    public List<WalRange> walRanges() {
        List<WalRange> ranges = new ArrayList<>();
        manifestJson().ifPresent(json -> json.path("WAL-Ranges").forEach(r -> ranges.add(new WalRange(
                r.path("Timeline").asInt(), r.path("Start-LSN").asText(), r.path("End-LSN").asText()))));
        return ranges;
    }

    public Optional<ManifestSummary> manifestSummary() {
        return manifestJson().map(json -> {
            long bytes = 0;
            String algorithm = null;
            for (JsonNode f : json.path("Files")) {
                bytes += f.path("Size").asLong();
                algorithm = f.path("Checksum-Algorithm").asText(algorithm);
            }
            return new ManifestSummary(json.path("Files").size(), bytes, algorithm, Sha256.hex(manifest, manifest.length));
        });
    }

    private Optional<JsonNode> manifestJson() {
        if (manifest == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readTree(manifest));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private List<String> manifestProblems() {
        Optional<JsonNode> json = manifestJson();
        if (json.isEmpty()) {
            return List.of("backup_manifest is not valid JSON");
        }
        List<String> problems = new ArrayList<>();
        checkManifestChecksum(json.get()).ifPresent(problems::add);
        List<String> missing = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        for (JsonNode f : json.get().path("Files")) {
            String path = f.path("Path").asText();
            FileSeen seen = files.get(path);
            if (seen == null) {
                missing.add(path);
            } else if (seen.size != f.path("Size").asLong()) {
                differing.add(path + " (" + seen.size + " bytes, the manifest says " + f.path("Size").asLong() + ")");
            } else if ("CRC32C".equals(f.path("Checksum-Algorithm").asText())
                    && !crcHex(seen.crc32c).equalsIgnoreCase(f.path("Checksum").asText())) {
                differing.add(path + " (CRC32C " + crcHex(seen.crc32c) + ", the manifest says " + f.path("Checksum").asText() + ")");
            }
        }
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " files listed in backup_manifest are not in the archive, e.g. " + first(missing));
        }
        if (!differing.isEmpty()) {
            problems.add(differing.size() + " files differ from backup_manifest, e.g. " + first(differing));
        }
        return problems;
    }

    /** The manifest's own SHA-256 covers its text up to the line that holds it. */
    private Optional<String> checkManifestChecksum(JsonNode json) {
        String expected = json.path("Manifest-Checksum").asText("");
        String text = new String(manifest, StandardCharsets.UTF_8);
        int line = text.lastIndexOf("\n\"Manifest-Checksum\"");
        if (expected.isEmpty() || line < 0) {
            return Optional.of("backup_manifest has no Manifest-Checksum");
        }
        int covered = text.substring(0, line + 1).getBytes(StandardCharsets.UTF_8).length;
        String actual = Sha256.hex(manifest, covered);
        return actual.equalsIgnoreCase(expected) ? Optional.empty()
                : Optional.of("backup_manifest's own checksum does not match (" + actual + ", recorded " + expected + ")");
    }

    /** PostgreSQL writes the CRC's bytes in memory order, which on the platforms it runs on is little-endian. */
    private static String crcHex(int crc) {
        return HexFormat.of().formatHex(new byte[] {(byte) crc, (byte) (crc >>> 8), (byte) (crc >>> 16), (byte) (crc >>> 24)});
    }

    private static String first(List<String> items) {
        return items.stream().sorted().limit(3).toList().toString();
    }

}
