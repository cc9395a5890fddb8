package com.neurocred.backup.cli;

import com.neurocred.backup.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Renders a local HTML file in headless Chromium (Debian package {@code chromium}) and reports what a reader would
 * meet: the console messages the page caused and every request it tried to send out. All requests go to a proxy on
 * loopback that only records them, so none leaves the machine and none is missed. Chromium's own background traffic
 * is switched off where a switch exists; what remains (sign-in and search preconnects, which come a few seconds after
 * start on a loaded machine) goes to Google's service hosts, which {@link Rendering#pageRequests} leaves out. A page
 * fetching from those hosts is still caught: the report's Content-Security-Policy blocks it and Chromium says so on
 * the console.
 */
final class HeadlessChromium {
    /** What rendering a page did. */
    record Rendering(Path screenshot, List<String> consoleMessages, List<String> requests, String log) {
        /** The requests not made by Chromium itself: what the page asked for. */
        List<String> pageRequests() {
            return requests.stream().filter(r -> !r.equals(CONNECTION) && CHROMIUM_SERVICES.stream().noneMatch(r::contains))
                    .toList();
        }
    }

    private static final String CONNECTION = "connection from Chromium";
    /** Where Chromium itself connects in the background, whatever the page. */
    private static final List<String> CHROMIUM_SERVICES = List.of(" accounts.google.com:", " www.google.com:",
            "//clients2.google.com/", " clients2.google.com:", ".gvt1.com", ".googleapis.com");

    private HeadlessChromium() {
    }

    /**
     * The browser. Without one the browser tests are skipped locally, as the AWS endpoint's are, and fail in CI
     * ({@code NEUROCRED_REQUIRE_BROWSER=true}, which .ci/run sets): CI must render, never skip.
     */
    static String executable() {
        String found = find();
        if (found == null) {
            String why = "no chromium on PATH: install it (apt-get install chromium) to render the report";
            if (Boolean.parseBoolean(System.getenv("NEUROCRED_REQUIRE_BROWSER"))) {
                throw new AssertionError(why + " (NEUROCRED_REQUIRE_BROWSER=true)");
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
        return found;
    }

    private static String find() {
        for (String name : new String[] {"chromium", "chromium-browser"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }

    static Rendering render(Path html, Path screenshot, int width, int height) throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        try (RecordingProxy proxy = new RecordingProxy()) {
            List<String> command = List.of(executable(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-default-apps", "--disable-extensions", "--metrics-recording-only", "--no-pings",
                    "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--dns-prefetch-disable",
                    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter,"
                            + "AutofillServerCommunication,PreconnectToSearch,NetworkPrediction",
                    "--proxy-server=http://127.0.0.1:" + proxy.port(), "--proxy-bypass-list=<-loopback>",
                    "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
                    "--window-size=" + width + "," + height, "--screenshot=" + screenshot,
                    html.toUri().toString());
            Processes.Outcome run = Processes.outcome(command, new byte[0], java.util.Map.of(), html.getParent());
            if (run.exitCode() != 0 || !Files.isRegularFile(screenshot)) {
                throw new AssertionError("chromium did not render " + html + " (exit " + run.exitCode() + "): " + run.stderr());
            }
            List<String> console = run.stderr().lines().filter(l -> l.contains(":CONSOLE")).toList();
            return new Rendering(screenshot, console, proxy.requests(), run.stderr());
        } finally {
            Processes.run(List.of("rm", "-rf", profile.toString()), new byte[0], java.util.Map.of());
        }
    }

    /** Accepts connections on loopback and records each request's first line, answering none. */
    private static final class RecordingProxy implements AutoCloseable {
        private final ServerSocket socket;
        private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
        private final Thread acceptor;

        RecordingProxy() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::accept, "recording-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    // Counted on arrival: the page's load waits on this answer, so it is accepted before Chromium exits.
                    requests.add(CONNECTION);
                    client.setSoTimeout(2000);
                    byte[] head = client.getInputStream().readNBytes(256);
                    String text = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
                    text.lines().findFirst().ifPresent(requests::add);
                } catch (java.net.SocketTimeoutException e) {
                    // A short request: it was counted on arrival.
                } catch (IOException e) {
                    if (!socket.isClosed()) {
                        requests.add("(connection failed: " + e.getMessage() + ")");
                    }
                }
            }
        }

        List<String> requests() {
            synchronized (requests) {
                return List.copyOf(requests);
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
                acceptor.join(2000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
