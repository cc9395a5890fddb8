package com.neurocred.backup.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback listener that accepts connections and never answers: what an AWS endpoint looks like from a
 * subnet whose path to it is broken past the first hop (a firewall that drops, a proxy that hangs).
 */
public final class SilentEndpoint implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    public SilentEndpoint() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptForever, "silent-endpoint");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                held.add(server.accept());
            } catch (IOException e) {
                return;
            }
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** http://127.0.0.1:PORT, for AWS_ENDPOINT_URL_{SERVICE}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Connections it accepted (and never answered). */
    public int accepted() {
        return held.size();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        held.forEach(s -> {
            try {
                s.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        });
    }
}
