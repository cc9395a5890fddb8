package com.neurocred.backup.restore;

import com.neurocred.backup.wal.Lsn;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Optional;

/**
 * Where point-in-time recovery stops: a time, a WAL position, or a restore point made with
 * {@code pg_create_restore_point}. Each becomes one {@code recovery_target_*} setting.
 */
public sealed interface RecoveryTarget {

    /** The postgresql.conf line that sets the target. */
    String setting();

    /** For messages: "time 2025-01-01 12:00:00+00". */
    String describe();

    record Time(Instant at, String asGiven) implements RecoveryTarget {
        @Override
        public String setting() {
            return "recovery_target_time = '" + DateTimeFormatter.ISO_INSTANT.format(at).replace('T', ' ').replace("Z", "+00") + "'";
        }

        @Override
        public String describe() {
            return "time " + asGiven;
        }
    }

    record Position(Lsn lsn) implements RecoveryTarget {
        @Override
        public String setting() {
            return "recovery_target_lsn = '" + lsn + "'";
        }

        @Override
        public String describe() {
            return "WAL position " + lsn;
        }
    }

    record RestorePoint(String name) implements RecoveryTarget {
        @Override
        public String setting() {
            return "recovery_target_name = '" + name.replace("'", "''") + "'";
        }

        @Override
        public String describe() {
            return "restore point '" + name + "'";
        }
    }

    /** Exactly one of the three, as the command line gives them. @throws IllegalArgumentException saying what to give */
    static RecoveryTarget of(Optional<String> time, Optional<String> lsn, Optional<String> name) {
        int given = (time.isPresent() ? 1 : 0) + (lsn.isPresent() ? 1 : 0) + (name.isPresent() ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("give exactly one recovery target: --target-time '2025-01-01 12:00:00+00', "
                    + "--target-lsn 0/3000060 or --target-name RESTORE_POINT");
        }
        if (time.isPresent()) {
            return new Time(parseTime(time.get()), time.get());
        }
        if (lsn.isPresent()) {
            return new Position(Lsn.parse(lsn.get().trim()));
        }
        if (name.get().isBlank()) {
            throw new IllegalArgumentException("--target-name is empty: give the name passed to pg_create_restore_point");
        }
        return new RestorePoint(name.get());
    }

    /** PostgreSQL's own form ({@code 2025-01-01 12:00:00+00}) or ISO-8601; a zone is required. */
    static Instant parseTime(String text) {
        DateTimeFormatter postgres = new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd[ ]['T']HH:mm[:ss]")
                .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
                .optionalStart().appendLiteral(' ').optionalEnd()
                .appendOffset("+HH:mm", "Z").toFormatter();
        String normalised = text.trim().replaceAll("([+-]\\d\\d)$", "$1:00").replaceAll(" UTC$", "Z");
        try {
            return OffsetDateTime.parse(normalised, postgres).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time with a zone: give it as PostgreSQL prints "
                    + "timestamps, e.g. '2025-01-01 12:00:00+00' (the zone is required, so the target is not guessed)");
        }
    }
}
