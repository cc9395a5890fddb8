package com.neurocred.backup.dumpformat;

import com.neurocred.backup.digest.HashingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads a stored base archive (pg_basebackup's tar, gzip-compressed) once, for both of its readers: base
 * backup verification and point-in-time restore's extraction. The stored bytes are hashed on a read-ahead
 * thread, inflated and fed block by block to the tar parser (which checks every file and may extract it),
 * and whatever the decompressor left unread is read too, so the SHA-256 covers the whole object.
 */
public final class BaseArchiveReader {
    private static final int BUFFER = 1 << 16;

    /** Asked before each inflated block; throwing {@link Stop} ends the read at once, the rest unread. */
    @FunctionalInterface
    public interface BlockCheck {
        void beforeBlock() throws Stop;
    }

    /** Ends a read early (time ran out, say); its message says why. */
    public static final class Stop extends IOException {
        public Stop(String message) {
            super(message);
        }
    }

    /**
     * What the read found.
     *
     * @param inflateError  why the compressed stream could not be read to its end (damage, or the tar parser's
     *                      refusal), when it could not
     * @param sourceFailure the stored object itself could not be read (not a damaged archive)
     * @param stoppedBy     the {@link Stop} that ended the read early; nothing was judged then, and sha256 is null
     */
    public record Read(long storedBytes, String sha256, Optional<String> inflateError, Optional<IOException> sourceFailure,
                       Optional<String> stoppedBy) {
    }

    private BaseArchiveReader() {
    }

    /** Reads {@code stored} through {@code parser}; the caller closes {@code stored}. */
    public static Read read(InputStream stored, TarStreamParser parser, BlockCheck check) {
        try (HashingInputStream hashed = new HashingInputStream(stored)) {
            String inflateError = null;
            try (InputStream tar = new GZIPInputStream(hashed.shielded(), BUFFER)) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = tar.read(buf)) != -1) {
                    check.beforeBlock();
                    parser.update(buf, 0, n);
                }
            } catch (Stop stop) {
                return new Read(hashed.count(), null, Optional.empty(), Optional.empty(), Optional.of(stop.getMessage()));
            } catch (IOException e) {
                inflateError = e.getMessage();
            }
            try {
                hashed.drain();
            } catch (IOException e) {
                return new Read(hashed.count(), null, Optional.ofNullable(inflateError), Optional.of(e), Optional.empty());
            }
            return new Read(hashed.count(), hashed.sha256(), Optional.ofNullable(inflateError),
                    Optional.ofNullable(hashed.sourceFailure()), Optional.empty());
        }
    }
}
