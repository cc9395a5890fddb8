package com.neurocred.backup.postgres;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Feeds a child's stdin while the same bytes also go elsewhere: once the child stops reading (psql
 * stopped at an error, pg_restore --list has read the table of contents), further bytes are dropped
 * instead of failing the pass that hashes and checks the rest.
 */
public final class TolerantSink extends OutputStream {
    private final OutputStream target;
    private boolean closedByReader;

    public TolerantSink(OutputStream target) {
        this.target = target;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (closedByReader) {
            return;
        }
        try {
            target.write(b, off, len);
        } catch (IOException e) {
            closedByReader = true;
        }
    }

    /** Whether the child stopped reading before everything was written. */
    public boolean readerGone() {
        return closedByReader;
    }

    @Override
    public void close() {
        try {
            target.close();
        } catch (IOException e) {
            // The reader is gone already.
        }
    }
}
