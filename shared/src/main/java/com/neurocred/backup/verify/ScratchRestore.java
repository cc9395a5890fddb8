package com.neurocred.backup.verify;

import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.ParsedName;
import com.neurocred.backup.config.DatabaseSettings;
import com.neurocred.backup.postgres.ConnectionErrors;
import com.neurocred.backup.postgres.PgConnector;
import com.neurocred.backup.postgres.PgServerInspector;
import com.neurocred.backup.postgres.PgToolLocator;
import com.neurocred.backup.postgres.PgToolProcess;
import com.neurocred.backup.postgres.PgTools;
import com.neurocred.backup.postgres.ScratchDatabase;
import com.neurocred.backup.postgres.TlsDiagnosis;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One restore test, from the scratch database's creation to its drop: the database
 * ({@code verify_{env}_{ts}_{attempt}}, one per attempt so a duplicate's cleanup never drops another's
 * restore), the backup's roles on the scratch server, the restoring tool (psql or pg_restore) that the
 * caller feeds, the judgement of its exit, and the row, owner and privilege comparison with the manifest.
 * What it could not do is recorded as "could not run" (ERROR), never as a bad backup.
 */
final class ScratchRestore implements AutoCloseable {
    /** psql's exit code when the connection to the server went bad (1 is a fatal error, 3 a script error). */
    private static final int PSQL_CONNECTION_LOST = 2;

    private final ScratchDatabase scratch;
    private final DatabaseSettings server;
    private final PgToolLocator toolLocator;
    private final Optional<BackupManifest> manifest;
    private final ScratchGlobals globals;
    private final Clock clock;
    private final Instant verificationStarted;
    private volatile PgToolProcess child;
    private volatile String stoppedBecause;
    private Instant restoreStarted;
    private Long restoreMillis;

    private ScratchRestore(ScratchDatabase scratch, DatabaseSettings server, PgToolLocator toolLocator,
                           Optional<BackupManifest> manifest, Clock clock, Instant verificationStarted) {
        this.scratch = scratch;
        this.server = server;
        this.toolLocator = toolLocator;
        this.manifest = manifest;
        this.globals = new ScratchGlobals(server);
        this.clock = clock;
        this.verificationStarted = verificationStarted;
    }

    /** Starts the restoring tool on a scratch database: {@link PgToolProcess#psqlRestore} or pg_restore. */
    @FunctionalInterface
    interface Tool {
        PgToolProcess start(PgTools tools, DatabaseSettings scratchDatabase) throws IOException;
    }

    /**
     * Creates this attempt's scratch database (the lease holder first drops what earlier attempts left);
     * empty, with the check recorded, when the scratch server refused.
     */
    static Optional<ScratchRestore> create(DatabaseSettings server, PgToolLocator toolLocator, ParsedName set,
                                           Attempt attempt, Optional<BackupManifest> manifest, Clock clock,
                                           Instant verificationStarted, Checks checks) {
        String backup = "verify_" + set.environment().id() + "_" + set.timestamp();
        String name = backup + "_" + attempt.id();
        try {
            if (attempt.holdsLease()) {
                ScratchDatabase.dropLeftovers(server, backup);
            }
            return Optional.of(new ScratchRestore(ScratchDatabase.create(server, name), server, toolLocator, manifest,
                    clock, verificationStarted));
        } catch (SQLException e) {
            checks.error(CheckName.RESTORE, "could not create the scratch database " + name + ": "
                    + ConnectionErrors.describe(server, e).replace("DB_", "VERIFY_DB_"));
            return Optional.empty();
        }
    }

    /**
     * Creates the roles the backup needs and starts the tool, with client tools matching the scratch server;
     * empty, with the check recorded, when the restore cannot run.
     */
    Optional<PgToolProcess> start(Tool tool, Checks checks) {
        if (!globals.prepare(scratch, manifest, checks)) {
            return Optional.empty();
        }
        try {
            PgTools tools = toolLocator.locateFor(scratch.serverVersion());
            restoreStarted = clock.instant();
            child = tool.start(tools, scratch.settings());
            if (stoppedBecause != null) {
                child.kill(); // stopped while it started: it must not run the restore to its end
            }
            return Optional.of(child);
        } catch (IOException | RuntimeException e) {
            checks.error(CheckName.RESTORE, "could not start the restore: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The verification ran out of time: the restore is killed now, and {@link #finish} says so. */
    /** @param why what the restore check will say stopped it */
    void stop(String why) {
        stoppedBecause = why;
        PgToolProcess running = child;
        if (running != null) {
            running.kill();
        }
    }

    /**
     * Waits for the tool (its input already closed) and judges the restore; when it ran clean, compares the
     * restored rows, owners and privileges with the manifest.
     *
     * @param inputWhole whether the tool was given the whole, undamaged stream
     * @param refusal    what the dump filter refused, after which nothing more reached the tool
     */
    void finish(boolean inputWhole, Optional<String> refusal, Checks checks) {
        PgToolProcess running = child;
        if (running == null) {
            return;
        }
        try {
            int exit = running.waitFor();
            if (stoppedBecause != null) {
                checks.error(CheckName.RESTORE, "stopped after " + Duration.between(verificationStarted, clock.instant())
                        .toSeconds() + " s: " + stoppedBecause + "; the scratch database was dropped");
            } else if (refusal.isPresent()) {
                checks.fail(CheckName.RESTORE, "stopped before " + refusal.get() + ": nothing from there on reached psql");
            } else if (exit == PSQL_CONNECTION_LOST) {
                checks.error(CheckName.RESTORE, "the connection to the scratch server was lost during the restore ("
                        + PgToolProcess.describeExit(exit) + "): " + running.stderrText());
            } else if (exit != 0) {
                failed(exit, running.stderrText(), checks);
            } else if (!inputWhole) {
                checks.fail(CheckName.RESTORE, "the restore ran on a damaged stream and proves nothing");
            } else {
                compareWithManifest(checks);
                restoreMillis = Duration.between(restoreStarted, clock.instant()).toMillis();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            checks.error(CheckName.RESTORE, "interrupted");
        } finally {
            closeChild();
        }
    }

    /** How long the restore took (the backup's measured RTO); empty unless it ran clean to the end. */
    Optional<Long> restoreMillis() {
        return Optional.ofNullable(restoreMillis);
    }

    /** Kills a restore that did not get to finish (stopped, or its input failed), and drops the scratch database. */
    @Override
    public void close() {
        closeChild();
        scratch.close();
    }

    private void closeChild() {
        PgToolProcess running = child;
        child = null;
        if (running != null) {
            running.close();
        }
    }

    /** A refused TLS connection says nothing about the backup: an error to retry, not a failed backup. */
    private void failed(int exit, String stderr, Checks checks) {
        Optional<String> tls = TlsDiagnosis.explainToolOutput(server, stderr);
        if (tls.isPresent()) {
            checks.error(CheckName.RESTORE, "could not connect to the scratch server: " + tls.get().replace("DB_", "VERIFY_DB_"));
        } else {
            checks.fail(CheckName.RESTORE, "the restore stopped at an error (" + PgToolProcess.describeExit(exit) + "): " + stderr);
        }
    }

    private void compareWithManifest(Checks checks) {
        if (manifest.isEmpty()) {
            checks.pass(CheckName.RESTORE, "restored into " + scratch.name() + " without errors (no manifest to compare rows with)");
            return;
        }
        List<String> tables = manifest.get().tables().stream().map(BackupManifest.TableRows::name).toList();
        try (Connection c = new PgConnector(scratch.settings()).open()) {
            Map<String, Long> restored = new PgServerInspector(new PgConnector(scratch.settings())).countRows(c, tables);
            List<String> problems = new ArrayList<>();
            for (BackupManifest.TableRows t : manifest.get().tables()) {
                long rows = restored.getOrDefault(t.name(), -1L);
                if (rows != t.rows()) {
                    problems.add(String.format("%s has %,d rows restored, %,d in the manifest", t.name(), rows, t.rows()));
                }
            }
            checks.check(CheckName.RESTORE, problems.isEmpty(), (problems.isEmpty()
                    ? "restored into " + scratch.name() + " with ON_ERROR_STOP; row counts of all "
                    + tables.size() + " tables match the manifest" : String.join("; ", problems))
                    + globals.createdDetail());
            globals.check(scratch, manifest, checks);
        } catch (SQLException e) {
            checks.error(CheckName.RESTORE, "restored, but counting rows failed: " + e.getMessage());
        }
    }
}
