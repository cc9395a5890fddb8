package com.neurocred.backup.restore;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A finished point-in-time restore: which base backup went where, and, when the server was started, where
 * recovery stopped and how long each part took.
 *
 * @param stoppedAt   how recovery stopped, as the server said it ("before commit of transaction 737, time ...")
 * @param recoveredTo the commit time of the last transaction recovery replayed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PitrResult(String baseBackup, String baseLocation, String target, String dataDir, long extractedBytes,
                         int files, long extractMillis, String firstSegment, String lastNeededSegment, boolean started,
                         Integer port, String stoppedAt, String recoveredTo, Long recoveryMillis, long totalMillis,
                         String serverLog) {
}
