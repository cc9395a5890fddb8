package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import com.neurocred.backup.testing.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dump in storage rewritten by someone who can write there (the manifest's checksums rewritten to
 * match): psql meta-commands in each position pg_dump's guard leaves open are refused by verify-backup.sh
 * and restore-db.sh before they run, naming the line, while the same text as data (a COPY row, a
 * function body) restores as it should.
 */
class HostileDumpScriptsIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static String source;

    @TempDir
    Path backupDir;
    @TempDir
    Path markers;

    @BeforeAll
    static void databaseWithBackslashesAsData() {
        source = PG.createSampleDatabase("hostile");
        PG.execute(source, "CREATE TABLE public.notes (id int PRIMARY KEY, body text);"
                + "INSERT INTO public.notes VALUES (1, E'\\\\! touch /tmp/data-not-a-command'), (2, E'line\\n\\\\.\\nafter');"
                + "CREATE FUNCTION public.shell_text() RETURNS text LANGUAGE sql AS $fn$ SELECT '\\! touch /tmp/body' $fn$;");
    }

    @Test
    void metaCommand_should_beRefused_when_placedBeforePgDumpsGuard() throws Exception {
        Path marker = markers.resolve("before");
        backup();
        rewriteDump(sql -> sql.replaceFirst("\n\\\\restrict ", "\n\\\\! touch " + marker + "\n\\\\restrict "));

        assertRefusedEverywhere(marker, "psql meta-command \\! at line 5");
    }

    @Test
    void metaCommand_should_beRefused_when_wrappedInTheDumpsOwnKey() throws Exception {
        Path marker = markers.resolve("inside");
        backup();
        rewriteDump(sql -> {
            String key = sql.lines().filter(l -> l.startsWith("\\restrict ")).findFirst().orElseThrow().substring(10);
            return sql.replaceFirst("\nSET statement_timeout", "\n\\\\unrestrict " + key + "\n\\\\! touch " + marker
                    + "\n\\\\restrict " + key + "\nSET statement_timeout");
        });

        assertRefusedEverywhere(marker, "\\unrestrict");
    }

    @Test
    void metaCommand_should_beRefused_when_placedAfterPgDumpsGuard() throws Exception {
        Path marker = markers.resolve("after");
        backup();
        rewriteDump(sql -> sql + "\\! touch " + marker + "\n");

        assertRefusedEverywhere(marker, "psql meta-command \\! at line");
    }

    @Test
    void metaCommand_should_beRefused_when_hiddenAfterSqlOnOneLine() throws Exception {
        Path marker = markers.resolve("midline");
        backup();
        rewriteDump(sql -> sql.replaceFirst("\nSET lock_timeout = 0;\n", "\nSET lock_timeout = 0; \\\\! touch " + marker + "\n"));

        assertRefusedEverywhere(marker, "psql meta-command \\! at line");
    }

    @Test
    void backslashesAsData_should_restore_when_inACopyRowOrAFunctionBody() {
        Outcome backup = run("backup-db.sh", "development", "full");
        String target = "restored_" + Long.toHexString(System.nanoTime());

        Outcome restore = run("restore-db.sh", "development", "full", "latest", "--target-db", target, "--create");

        assertThat(backup.exitCode()).as(backup.stdout() + backup.stderr()).isZero();
        assertThat(backup.stdout()).contains("ok   sql_structure").contains("no psql meta-commands").contains("ok   restore");
        assertThat(restore.exitCode()).as(restore.stderr()).isZero();
        assertThat(PG.psql(target, "SELECT body FROM public.notes ORDER BY id; SELECT public.shell_text();".getBytes(),
                "-At")).isEqualTo("\\! touch /tmp/data-not-a-command\nline\n\\.\nafter\n\\! touch /tmp/body\n");
        assertThat(Path.of("/tmp/data-not-a-command")).doesNotExist();
        assertThat(Path.of("/tmp/body")).doesNotExist();
    }

    private void assertRefusedEverywhere(Path marker, String refusal) {
        Outcome verify = run("verify-backup.sh", dump().toString(), "--restore-test");
        String target = "never_" + Long.toHexString(System.nanoTime());
        Outcome restore = run("restore-db.sh", "development", "full", dump().toString(), "--target-db", target, "--create");

        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isEqualTo(1);
        assertThat(verify.stdout()).contains("FAIL sql_structure").contains(refusal).contains("FAIL restore")
                .contains("verification FAILED");
        assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isEqualTo(1);
        assertThat(restore.stderr()).contains("refusing to restore").contains(refusal).contains("Nothing was run");
        assertThat(marker).as("the meta-command ran").doesNotExist();
        assertThat(PG.psql("postgres", ("SELECT count(*) FROM pg_database WHERE datname = '" + target + "'").getBytes(), "-At"))
                .as("the target was not touched").isEqualTo("0\n");
    }

    private void backup() {
        Outcome backup = run("backup-db.sh", "development", "full", "--no-verify");
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
    }

    /** Rewrites the dump as an attacker with write access would, manifest checksums included. */
    private void rewriteDump(UnaryOperator<String> edit) throws IOException {
        String sql;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(dump()))) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String edited = edit.apply(sql);
        assertThat(edited).as("the edit applied").isNotEqualTo(sql);
        byte[] raw = edited.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(raw);
        }
        Files.write(dump(), gz.toByteArray());
        ObjectNode manifest = (ObjectNode) Json.MAPPER.readTree(manifest().toFile());
        manifest.put("sha256", sha256(gz.toByteArray()));
        manifest.put("compressedBytes", gz.size());
        manifest.put("uncompressedBytes", raw.length);
        Json.MAPPER.writeValue(manifest().toFile(), manifest);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path dump() {
        try (var files = Files.list(backupDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".sql.gz")).sorted().reduce((a, b) -> b).orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path manifest() {
        return backupDir.resolve(dump().getFileName().toString().replace("neurocred_", "manifest_").replace(".sql.gz", ".json"));
    }

    private Outcome run(String script, String... args) {
        return Scripts.run(TestEnvironment.localDir(source, backupDir), script, args);
    }
}
