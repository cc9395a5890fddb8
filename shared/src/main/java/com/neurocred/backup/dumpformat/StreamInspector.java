package com.neurocred.backup.dumpformat;

import java.io.IOException;

/** Sees every byte of a backup's uncompressed stream as it passes, in order. */
public interface StreamInspector {
    void update(byte[] b, int off, int len) throws IOException;
}
