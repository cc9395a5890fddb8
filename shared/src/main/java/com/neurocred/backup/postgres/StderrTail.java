package com.neurocred.backup.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Drains a child's stderr on its own thread (a full pipe would stall the child) and keeps the last few KiB. */
final class StderrTail {
    private static final int KEEP_BYTES = 8192;
    private final byte[] ring = new byte[KEEP_BYTES];
    private long total;
    private final Thread thread;

    StderrTail(InputStream stderr, String name) {
        thread = new Thread(() -> drain(stderr), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void drain(InputStream in) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                append(buf, n);
            }
        } catch (IOException e) {
            // The child is gone; what we kept is what there is.
        }
    }

    private synchronized void append(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) (total++ % KEEP_BYTES)] = buf[i];
        }
    }

    /** The kept text, after the child has closed stderr (waits up to a few seconds). */
    String text() {
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            int len = (int) Math.min(total, KEEP_BYTES);
            byte[] out = new byte[len];
            long start = total - len;
            for (int i = 0; i < len; i++) {
                out[i] = ring[(int) ((start + i) % KEEP_BYTES)];
            }
            return new String(out, StandardCharsets.UTF_8).strip();
        }
    }
}
