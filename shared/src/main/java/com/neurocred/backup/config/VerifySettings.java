package com.neurocred.backup.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How backups are verified.
 *
 * @param restoreTest   restore into a scratch database and compare row counts ({@code VERIFY_RESTORE})
 * @param criticalTables tables that must be present and non-empty ({@code CRITICAL_TABLES})
 * @param scratchServer the server for scratch databases when it is not the source server ({@code VERIFY_DB_*})
 * @param maintenanceDatabase the database to connect to for CREATE/DROP DATABASE ({@code VERIFY_DB_NAME})
 */
public record VerifySettings(boolean restoreTest, List<String> criticalTables, long minSizeBytes, double anomalyMinRatio,
                             double anomalyMaxRatio, Optional<DatabaseSettings> scratchServer, String maintenanceDatabase) {

    public static final String VERIFY_RESTORE = "VERIFY_RESTORE";
    public static final String CRITICAL_TABLES = "CRITICAL_TABLES";
    public static final String VERIFY_MIN_SIZE_BYTES = "VERIFY_MIN_SIZE_BYTES";
    public static final String SIZE_ANOMALY_MIN_RATIO = "SIZE_ANOMALY_MIN_RATIO";
    public static final String SIZE_ANOMALY_MAX_RATIO = "SIZE_ANOMALY_MAX_RATIO";
    public static final String VERIFY_DB_HOST = "VERIFY_DB_HOST";
    public static final String VERIFY_DB_PORT = "VERIFY_DB_PORT";
    public static final String VERIFY_DB_USER = "VERIFY_DB_USER";
    public static final String VERIFY_DB_PASSWORD = "VERIFY_DB_PASSWORD";
    public static final String VERIFY_DB_SSLMODE = "VERIFY_DB_SSLMODE";
    public static final String VERIFY_DB_NAME = "VERIFY_DB_NAME";
    /** The scratch server's TLS files; each defaults to the source server's (DB_SSLROOTCERT ...). */
    public static final String VERIFY_DB_SSLROOTCERT = "VERIFY_DB_SSLROOTCERT";
    public static final String VERIFY_DB_SSLCERT = "VERIFY_DB_SSLCERT";
    public static final String VERIFY_DB_SSLKEY = "VERIFY_DB_SSLKEY";

    static VerifySettings read(EnvironmentReader in, TlsSettingsReader tls, DatabaseSettings source) {
        Optional<DatabaseSettings> scratch = in.optional(VERIFY_DB_HOST).map(host -> {
            String sslMode = tls.mode("VERIFY_DB_", source.sslMode());
            String user = in.optional(VERIFY_DB_USER).orElse(source.user());
            // A mode of its own (require for a scratch server with a self-signed certificate, say) is not made to
            // verify against the source's CAs; a client certificate names one user.
            boolean ownMode = in.optional(VERIFY_DB_SSLMODE).isPresent();
            return new DatabaseSettings(host,
                    in.integer(VERIFY_DB_PORT, 5432, 1, 65535),
                    user,
                    in.optional(VERIFY_DB_PASSWORD).orElse(null),
                    null,
                    sslMode,
                    tls.files("VERIFY_DB_", sslMode, source.tls(), !ownMode || sslMode.startsWith("verify-"),
                            java.util.Objects.equals(user, source.user())));
        });
        double min = in.decimal(SIZE_ANOMALY_MIN_RATIO, 0.5, 0.0, 1.0);
        double max = in.decimal(SIZE_ANOMALY_MAX_RATIO, 2.0, 1.0, 1000.0);
        return new VerifySettings(in.bool(VERIFY_RESTORE, true), tables(in.optional(CRITICAL_TABLES).orElse("")),
                in.integer(VERIFY_MIN_SIZE_BYTES, 512, 0, Integer.MAX_VALUE), min, max, scratch,
                in.optional(VERIFY_DB_NAME).orElse("postgres"));
    }

    private static List<String> tables(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public VerifySettings withRestoreTest(boolean on) {
        return new VerifySettings(on, criticalTables, minSizeBytes, anomalyMinRatio, anomalyMaxRatio, scratchServer,
                maintenanceDatabase);
    }
}
