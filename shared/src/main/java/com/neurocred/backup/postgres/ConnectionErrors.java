package com.neurocred.backup.postgres;

import com.neurocred.backup.config.DatabaseSettings;
import java.sql.SQLException;
import java.util.Optional;

/** Says why a connection failed and what to do about it, from PostgreSQL's SQLSTATE (TLS: {@link TlsDiagnosis}). */
public final class ConnectionErrors {
    private ConnectionErrors() {
    }

    public static String describe(DatabaseSettings db, SQLException e) {
        Optional<String> tls = TlsDiagnosis.explain(db, e);
        if (tls.isPresent()) {
            return tls.get();
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = db.user() + "@" + db.describe();
        return switch (state) {
            case "28P01" -> "password authentication failed for " + where
                    + ": check DB_PASSWORD (or the password in DB_SECRET_ARN)";
            case "28000" -> "the server refused " + where + " (" + e.getMessage()
                    + "): check DB_USER, pg_hba.conf and DB_SSLMODE";
            case "3D000" -> "database " + db.database() + " does not exist on " + db.host() + ":" + db.port()
                    + ": check DB_NAME";
            default -> state.startsWith("08")
                    ? "cannot connect to PostgreSQL at " + db.host() + ":" + db.port() + " (" + e.getMessage()
                    + "): check DB_HOST, DB_PORT, that the server is running and that the network allows it"
                    : "database error on " + where + ": " + e.getMessage() + " (SQLSTATE " + state + ")";
        };
    }
}
