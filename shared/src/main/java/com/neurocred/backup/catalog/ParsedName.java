package com.neurocred.backup.catalog;

import com.neurocred.backup.compress.Compression;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DeploymentEnvironment;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A file name of this system's, taken apart: which set (environment, timestamp) and which member. */
public record ParsedName(Kind kind, DeploymentEnvironment environment, String timestamp, BackupFormat format,
                         Compression compression) {
    private static final Pattern NAME = Pattern.compile(
            "(neurocred|manifest|verification)_(production|staging|development)_(\\d{8}_\\d{6})(\\.sql\\.gz|\\.sql\\.zst|\\.dump|\\.tar\\.gz|\\.json)");

    /** The members of a backup set. */
    public enum Kind { DATA_FILE, MANIFEST, VERIFICATION }

    /** Parses a bare file name (no directory or key prefix); empty for names this system does not write. */
    public static Optional<ParsedName> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        String suffix = m.group(4);
        Kind kind = switch (m.group(1)) {
            case "neurocred" -> Kind.DATA_FILE;
            case "manifest" -> Kind.MANIFEST;
            default -> Kind.VERIFICATION;
        };
        if (kind == Kind.DATA_FILE == suffix.equals(".json") || !isRealTime(m.group(3))) {
            return Optional.empty();
        }
        BackupFormat format = switch (suffix) {
            case ".dump" -> BackupFormat.CUSTOM;
            case ".tar.gz" -> BackupFormat.TAR;
            default -> BackupFormat.PLAIN;
        };
        Compression compression = suffix.equals(Compression.ZSTD.extension()) ? Compression.ZSTD : Compression.GZIP;
        return Optional.of(new ParsedName(kind, DeploymentEnvironment.parse(m.group(2)), m.group(3), format, compression));
    }

    /**
     * Whether a timestamp that looks like one is a time: a name dated 20261301 was not written by this system, and
     * taken for a set it would fail everything that asks when the set was taken (retention, health, room checks).
     */
    private static boolean isRealTime(String timestamp) {
        try {
            BackupTime.parse(timestamp);
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }

    /** The names of the set this name belongs to (for a manifest or record, the data file's format is not known: plain). */
    public BackupNames names() {
        return new BackupNames(environment, timestamp, format, compression);
    }
}
