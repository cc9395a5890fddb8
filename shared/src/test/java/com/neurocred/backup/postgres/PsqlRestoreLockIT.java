package com.neurocred.backup.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.PostgresFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second lock behind the dump filter: the psql a restore runs is locked with a key of its own, so
 * even input the filter never saw cannot run a meta-command, the dump's own key included.
 */
class PsqlRestoreLockIT {
    private static final PostgresFixture PG = PostgresFixture.get();

    @TempDir
    Path dir;

    @Test
    void psqlRestore_should_refuseEveryMetaCommand_evenWithTheDumpsOwnUnrestrict() throws Exception {
        String database = PG.createDatabase("locked");
        Path marker = dir.resolve("ran");
        PgTools tools = new PgToolLocator(Optional.of(PG.binDir())).locateFor(PgVersion.fromToolOutput("psql (PostgreSQL) 15"));
        String input = "\\restrict DumpKey1\nCREATE TABLE before_it (id int);\n\\unrestrict DumpKey1\n\\! touch " + marker
                + "\nCREATE TABLE after_it (id int);\n";

        int exit;
        String stderr;
        try (PgToolProcess psql = PgToolProcess.psqlRestore(tools, PG.settings(database))) {
            psql.stdin().write(input.getBytes(StandardCharsets.UTF_8));
            psql.stdin().close();
            exit = psql.waitFor();
            stderr = psql.stderrText();
        }

        assertThat(tools.version().hasPsqlRestrict()).isTrue();
        assertThat(exit).isEqualTo(3);
        assertThat(stderr).contains("backslash commands are restricted");
        assertThat(marker).doesNotExist();
        assertThat(PG.psql(database, "SELECT count(*) FROM pg_class WHERE relname IN ('before_it', 'after_it')".getBytes(),
                "-At")).isEqualTo("0\n");
    }

    @Test
    void psqlRestore_should_stayLocked_when_theDumpSwitchesTheSettingsPsqlLexesBy() throws Exception {
        // The filter refuses SET lines naming standard_conforming_strings, but a name built at run time gets past
        // it. With the setting off, psql reads '\' ' as one string and the \! after it as code: the lock holds.
        String database = PG.createDatabase("switched");
        Path marker = dir.resolve("ran");
        PgTools tools = new PgToolLocator(Optional.of(PG.binDir())).locateFor(PgVersion.fromToolOutput("psql (PostgreSQL) 15"));
        String input = "SELECT pg_catalog.set_config('standard_' || 'conforming_strings', 'off', false);\n"
                + "SELECT '\\' ' \\! touch " + marker + " #'\n;\nCREATE TABLE after_it (id int);\n";

        String stderr;
        try (PgToolProcess psql = PgToolProcess.psqlRestore(tools, PG.settings(database))) {
            psql.stdin().write(input.getBytes(StandardCharsets.UTF_8));
            psql.stdin().close();
            psql.waitFor();
            stderr = psql.stderrText();
        }

        assertThat(marker).doesNotExist();
        assertThat(stderr).contains("backslash commands are restricted");
    }
}
