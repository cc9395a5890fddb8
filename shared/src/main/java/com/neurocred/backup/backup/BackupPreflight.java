package com.neurocred.backup.backup;

import com.neurocred.backup.postgres.ConnectionErrors;
import com.neurocred.backup.postgres.PgConnector;
import com.neurocred.backup.postgres.PgServerInspector;
import com.neurocred.backup.postgres.PgToolLocator;
import com.neurocred.backup.postgres.PgTools;
import com.neurocred.backup.postgres.PgToolsNotUsableException;
import com.neurocred.backup.postgres.ServerInfo;
import java.sql.SQLException;

/** What every backup checks before it starts: the server answers, and client tools of its version exist. */
final class BackupPreflight {
    private final PgConnector connector;
    private final PgServerInspector inspector;
    private final PgToolLocator toolLocator;

    BackupPreflight(PgConnector connector, PgServerInspector inspector, PgToolLocator toolLocator) {
        this.connector = connector;
        this.inspector = inspector;
        this.toolLocator = toolLocator;
    }

    ServerInfo inspectServer() {
        try {
            return inspector.serverInfo();
        } catch (SQLException e) {
            throw new BackupException(BackupStage.CONNECT, ConnectionErrors.describe(connector.settings(), e), e);
        }
    }

    PgTools locateTools(ServerInfo server) {
        try {
            return toolLocator.locateFor(server.version());
        } catch (PgToolsNotUsableException e) {
            throw new BackupException(BackupStage.TOOLS, e.getMessage(), e);
        }
    }
}
