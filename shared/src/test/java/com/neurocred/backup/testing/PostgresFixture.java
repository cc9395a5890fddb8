package com.neurocred.backup.testing;

import com.neurocred.backup.config.DatabaseSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A real PostgreSQL cluster for the tests of one JVM: initdb + pg_ctl into a temp directory on a free
 * port, password (SCRAM) authentication over TCP. As root it runs the server binaries as the
 * {@code postgres} user, since initdb refuses root. WAL archiving is on, into {@link #walArchiveDir()}.
 */
public final class PostgresFixture implements AutoCloseable {
    public static final String SUPERUSER = "postgres";
    /** Distinctive, so tests can search any output for it. */
    public static final String PASSWORD = "Pw-9f3Kx!tQ7z";

    private static PostgresFixture instance;

    private final Path binDir;
    private final Path baseDir;
    private final Path dataDir;
    private final Path walArchive;
    private final int port;

    private PostgresFixture(Path binDir, List<String> extraSettings, List<String> initdbOptions,
                            Consumer<PostgresFixture> beforeFirstStart) throws IOException, InterruptedException {
        this.binDir = binDir;
        this.baseDir = Files.createTempDirectory("neurocred-pg-");
        this.dataDir = baseDir.resolve("data");
        this.walArchive = baseDir.resolve("wal-archive");
        Files.createDirectories(walArchive);
        this.port = freePort();
        Path pwfile = baseDir.resolve("pwfile");
        Files.writeString(pwfile, PASSWORD + "\n");
        if (isRoot()) {
            run(List.of("chown", "-R", "postgres:postgres", baseDir.toString()), false);
        }
        List<String> initdb = new ArrayList<>(List.of(bin("initdb"), "-D", dataDir.toString(), "-U", SUPERUSER,
                "--pwfile=" + pwfile, "-E", "UTF8", "--no-locale", "--auth-local=trust", "--auth-host=scram-sha-256"));
        initdb.addAll(initdbOptions);
        run(initdb, true);
        // In postgresql.conf rather than on the command line, so tests can change them with ALTER SYSTEM.
        Files.writeString(dataDir.resolve("postgresql.conf"), String.join("\n",
                "", "port = " + port, "listen_addresses = '127.0.0.1'", "unix_socket_directories = '" + baseDir + "'",
                "fsync = off", "wal_level = replica", "archive_mode = on", "max_wal_senders = 4",
                "archive_command = 'cp %p " + walArchive + "/%f'", String.join("\n", extraSettings), ""),
                java.nio.file.StandardOpenOption.APPEND);
        beforeFirstStart.accept(this);
        run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-l", baseDir.resolve("server.log").toString(),
                "-w", "-t", "60", "start"), true);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
    }

    /** The cluster of this JVM, started on first use. */
    public static synchronized PostgresFixture get() {
        if (instance == null) {
            try {
                instance = new PostgresFixture(findBinDir(), List.of(), List.of(), pg -> { });
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not start the PostgreSQL test cluster: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    /**
     * A cluster of its own, for tests that change server settings (archive_command, for PITR); later
     * settings override the defaults. Close it to stop it and remove its files.
     */
    public static PostgresFixture dedicated(List<String> settings) {
        return dedicated(settings, List.of(), pg -> { });
    }

    /**
     * A cluster of its own made with extra initdb options (e.g. {@code --wal-segsize=64}), with a step run
     * between initdb and the first start (e.g. pg_resetwal through {@link #runAsServerUser}).
     */
    public static PostgresFixture dedicated(List<String> settings, List<String> initdbOptions,
                                            Consumer<PostgresFixture> beforeFirstStart) {
        try {
            return new PostgresFixture(findBinDir(), settings, initdbOptions, beforeFirstStart);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not start a PostgreSQL test cluster: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Runs a server program (pg_ctl, ...) as the user the clusters run as. */
    public static void runAsServerUser(List<String> command) {
        try {
            run(command, true);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Makes a directory the server's user can use (tests run as root; the server cannot). */
    public static Path serverUserDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            if (isRoot()) {
                run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
                Path p = dir;
                while (p != null) {
                    p.toFile().setExecutable(true, false);
                    p = p.getParent();
                }
            }
            return dir;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public Path binDir() {
        return binDir;
    }

    public int port() {
        return port;
    }

    public Path walArchiveDir() {
        return walArchive;
    }

    public DatabaseSettings settings(String database) {
        return new DatabaseSettings("127.0.0.1", port, SUPERUSER, PASSWORD, database, "disable");
    }

    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        p.setProperty("password", PASSWORD);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
    }

    public void execute(String database, String sql) {
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** A new empty database with a unique name. */
    public String createDatabase(String prefix) {
        String name = prefix + "_" + Long.toHexString(System.nanoTime());
        execute("postgres", "CREATE DATABASE " + name);
        return name;
    }

    /** A new database loaded with the NeuroCred-like sample schema and its varied data. */
    public String createSampleDatabase(String prefix) {
        String name = createDatabase(prefix);
        try (InputStream sql = PostgresFixture.class.getResourceAsStream("/neurocred-sample.sql")) {
            psql(name, sql.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return name;
    }

    /** Runs psql with ON_ERROR_STOP, feeding it the given script; returns stdout. */
    public String psql(String database, byte[] script, String... extraArgs) {
        List<String> cmd = new ArrayList<>(List.of(bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", String.valueOf(port), "-U", SUPERUSER, "-d", database));
        cmd.addAll(List.of(extraArgs));
        return Processes.run(cmd, script, env());
    }

    /** Runs pg_dump on a database and returns its plain output with the per-run random lines removed. */
    public String dumpForComparison(String database) {
        String out = Processes.run(List.of(bin("pg_dump"), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", SUPERUSER,
                "--no-password", database), new byte[0], env());
        // pg_dump 15.14+ writes \restrict with a random key on each run.
        return String.join("\n", out.lines().filter(l -> !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict")).toList());
    }

    public java.util.Map<String, String> env() {
        return java.util.Map.of("PGPASSWORD", PASSWORD);
    }

    public String bin(String tool) {
        return binDir.resolve(tool).toString();
    }

    private void stop() {
        try {
            run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"), true);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // The JVM is going away; a stray server dies with its temp dir.
        }
        try (Stream<Path> files = Files.walk(baseDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort.
        }
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres && isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.toString(StandardCharsets.UTF_8));
        }
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static Path findBinDir() {
        String pgBin = System.getenv("PG_BIN");
        if (pgBin != null && Files.isExecutable(Path.of(pgBin, "initdb"))) {
            return Path.of(pgBin);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries: set PG_BIN"));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql: set PG_BIN", e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
