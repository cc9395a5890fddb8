package com.neurocred.backup.wal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The grammar of WAL file names, in one place: the names PostgreSQL hands archive_command and
 * restore_command (segments, timeline history files, backup history files, partial segments) and the
 * names they are stored under in the archive (the same, plus {@code .gz} for this tool's compressed
 * objects). Nothing else is accepted, so a name can never point outside the archive. The arithmetic on
 * segment numbers is {@link WalSequence}'s.
 *
 * @param kind     what the file is
 * @param fileName the name PostgreSQL knows it by (no storage suffix)
 * @param timeline its timeline (for a history file, the timeline it describes)
 */
public record WalFileName(Kind kind, String fileName, int timeline) {

    /** The kinds of file in a WAL archive. */
    public enum Kind {
        /** A whole segment: 24 hex digits, timeline, log and segment number. */
        SEGMENT,
        /** The part of a segment written before a promotion switched timelines ({@code .partial}). */
        PARTIAL,
        /** A backup history file written by pg_backup_stop ({@code .{offset}.backup}). */
        BACKUP_LABEL,
        /** A timeline history file ({@code 8 hex digits.history}); recovery needs every one. */
        HISTORY
    }

    /** The storage suffix of this tool's compressed objects. */
    public static final String STORED_SUFFIX = ".gz";
    private static final Pattern NAME = Pattern.compile(
            "(?<timeline>[0-9A-F]{8})(?:[0-9A-F]{16}(?<tail>\\.partial|\\.[0-9A-F]{8}\\.backup)?|(?<history>\\.history))");

    /** Parses a name as PostgreSQL gives it. */
    public static Optional<WalFileName> parse(String name) {
        Matcher m = name == null ? null : NAME.matcher(name);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        Kind kind = m.group("history") != null ? Kind.HISTORY
                : m.group("tail") == null ? Kind.SEGMENT
                : m.group("tail").equals(".partial") ? Kind.PARTIAL : Kind.BACKUP_LABEL;
        return Optional.of(new WalFileName(kind, name, Integer.parseUnsignedInt(m.group("timeline"), 16)));
    }

    /** Parses the name of an archived object: a WAL file name, compressed ({@code .gz}) or as a plain copy. */
    public static Optional<WalFileName> parseStored(String objectName) {
        if (objectName == null) {
            return Optional.empty();
        }
        String name = objectName.endsWith(STORED_SUFFIX)
                ? objectName.substring(0, objectName.length() - STORED_SUFFIX.length()) : objectName;
        return parse(name);
    }

    /** @throws WalArchiveException naming the accepted forms */
    public static String check(String name) {
        if (parse(name).isEmpty()) {
            throw new WalArchiveException(WalArchiveException.Reason.BAD_NAME, "'" + name + "' is not a WAL file name "
                    + "(24 hex digits, or a .history, .backup or .partial file): pass %f (fetch) or %p (push) as "
                    + "PostgreSQL gives them", null);
        }
        return name;
    }

    /** Whether the name is a plain segment (not a history, backup label or partial file). */
    public static boolean isSegment(String name) {
        return parse(name).filter(n -> n.kind() == Kind.SEGMENT).isPresent();
    }

    /** Whether this file belongs to a place in the WAL stream (all but history files, which belong to a timeline). */
    public boolean hasStreamPosition() {
        return kind != Kind.HISTORY;
    }

    /** The 24-digit segment name this file is of (itself, for a segment). */
    public String segment() {
        if (!hasStreamPosition()) {
            throw new IllegalStateException(fileName + " is a timeline history file, of no segment");
        }
        return fileName.substring(0, 24);
    }

    /** The log (4 GiB of WAL) this file's segment is in: the second 8 hex digits. */
    public long log() {
        return Long.parseLong(segment().substring(8, 16), 16);
    }

    /** The segment's number within its log: the last 8 hex digits (how many a log holds depends on the segment size). */
    public long segmentInLog() {
        return Long.parseLong(segment().substring(16, 24), 16);
    }

    /**
     * A file with a place in the WAL stream (segment, partial segment or backup label), by its name as
     * PostgreSQL gives it or as it is stored.
     *
     * @throws IllegalArgumentException for anything else (a history file, a name read back from storage that was altered)
     */
    public static WalFileName positioned(String name) {
        return parseStored(name).filter(WalFileName::hasStreamPosition).orElseThrow(() -> new IllegalArgumentException(
                "'" + name + "' is not the name of a WAL segment (24 hex digits: timeline, log, segment)"));
    }
}
