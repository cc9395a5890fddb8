package com.neurocred.backup.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a recovering server's log says (with {@code lc_messages=C}): where recovery stopped, the last
 * transaction it replayed, whether it promoted, and the errors that ended it. Also the lines wal-fetch
 * wrote when it refused a file, which name the segment.
 */
public final class RecoveryLog {
    private static final Pattern STOPPING = Pattern.compile("recovery stopping (.*)");
    private static final Pattern LAST_TRANSACTION = Pattern.compile("last completed transaction was at log time (.+)");
    private static final Pattern STOP_TIME = Pattern.compile(", time (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d[^\\s]*)");
    private static final Pattern ERROR = Pattern.compile("(FATAL|PANIC):\\s+(.*)");

    /** Where the log shows recovery to be. */
    public record State(boolean promoted, Optional<String> stoppedAt, Optional<String> lastTransactionAt,
                        List<String> errors, List<String> walFetchProblems) {
    }

    private RecoveryLog() {
    }

    public static State read(List<String> lines) {
        boolean newTimeline = false;
        boolean promoted = false;
        String stopped = null;
        String lastTransaction = null;
        List<String> errors = new ArrayList<>();
        List<String> fetchProblems = new ArrayList<>();
        for (String line : lines) {
            Matcher m;
            if ((m = STOPPING.matcher(line)).find()) {
                stopped = m.group(1);
            }
            if ((m = LAST_TRANSACTION.matcher(line)).find()) {
                lastTransaction = m.group(1).strip();
            }
            if (line.contains("selected new timeline ID")) {
                newTimeline = true;
            }
            if (newTimeline && line.contains("database system is ready to accept connections")) {
                promoted = true;
            }
            if ((m = ERROR.matcher(line)).find()) {
                errors.add(m.group(1) + ": " + m.group(2).strip());
            }
            if (line.startsWith("wal-fetch: ") && !line.contains(" restored from ")) {
                fetchProblems.add(line.strip());
            }
        }
        return new State(promoted, Optional.ofNullable(stopped), Optional.ofNullable(lastTransaction), errors, fetchProblems);
    }

    /** The commit time in a "recovery stopping before commit of transaction N, time T" line, when it has one. */
    public static Optional<String> timeIn(String stopping) {
        Matcher m = STOP_TIME.matcher(stopping);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
