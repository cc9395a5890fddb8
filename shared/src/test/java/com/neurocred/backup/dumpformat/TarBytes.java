package com.neurocred.backup.dumpformat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tar archives for the tests: real ones written by the system's GNU tar, and hand-made headers (with a
 * correctly computed checksum unless a test breaks it on purpose) where a test needs one no tar would write.
 */
final class TarBytes {
    static final int BLOCK = 512;

    private TarBytes() {
    }

    /** A ustar header ("ustar\0" "00") with its checksum; sizes in octal. */
    static byte[] header(String name, char type, long size, int mode, String linkName) {
        byte[] h = new byte[BLOCK];
        put(h, 0, name);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 1_700_000_000L);
        h[156] = (byte) type;
        put(h, 157, linkName);
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        return seal(h);
    }

    static byte[] fileHeader(String name, long size) {
        return header(name, '0', size, 0644, "");
    }

    /** Writes the header's checksum the way tar does: the unsigned byte sum with the field itself as spaces. */
    static byte[] seal(byte[] h) {
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o\0 ", sum));
        return h;
    }

    static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, b.length);
    }

    /** Zero-padded octal, NUL-terminated, as tar writes numeric fields. */
    static void octal(byte[] h, int off, int len, long v) {
        put(h, off, String.format("%0" + (len - 1) + "o\0", v));
    }

    /** An archive of members built by hand: each a header and its data padded to whole blocks. */
    static final class Builder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Builder file(String name, String content) {
            return file(name, content.getBytes(StandardCharsets.UTF_8));
        }

        Builder file(String name, byte[] content) {
            raw(fileHeader(name, content.length));
            return data(content);
        }

        Builder dir(String name) {
            return raw(header(name, '5', 0, 0700, ""));
        }

        Builder symlink(String name, String target) {
            return raw(header(name, '2', 0, 0777, target));
        }

        Builder raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        /** The bytes, then zeros up to the next block boundary. */
        Builder data(byte[] content) {
            out.writeBytes(content);
            out.writeBytes(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
            return this;
        }

        /** The end-of-archive marker: two zero blocks. */
        Builder end() {
            return raw(new byte[2 * BLOCK]);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    static Builder archive() {
        return new Builder();
    }

    /** What GNU tar writes for {@code names} under {@code dir}, in that order, not recursing into directories. */
    static byte[] systemTar(Path dir, String format, String... names) throws IOException {
        List<String> command = new ArrayList<>(List.of("tar", "--format=" + format, "--no-recursion",
                "--owner=0", "--group=0", "--numeric-owner", "-C", dir.toString(), "-cf", "-"));
        command.addAll(List.of(names));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        byte[] tar = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return tar;
    }

    /** Feeds {@code tar} to the parser {@code chunk} bytes at a time, each chunk from inside a larger buffer. */
    static void feed(TarStreamParser parser, byte[] tar, int chunk) throws IOException {
        for (int pos = 0; pos < tar.length; pos += chunk) {
            int n = Math.min(chunk, tar.length - pos);
            // Offset 3 in a buffer with junk around it: the parser must honour off and len.
            byte[] buf = new byte[n + 6];
            Arrays.fill(buf, (byte) 'J');
            System.arraycopy(tar, pos, buf, 3, n);
            parser.update(buf, 3, n);
        }
    }

    /**
     * Records what a listener is told, as lines: "start NAME" when a member starts and "end NAME: DATA" when
     * it ends, DATA being every byte handed over in between; data outside a member is recorded as an error.
     */
    static final class Recorder implements TarStreamParser.Listener {
        final List<String> events = new ArrayList<>();
        final List<TarStreamParser.Entry> entries = new ArrayList<>();
        private ByteArrayOutputStream data;

        @Override
        public void entryStarted(TarStreamParser.Entry entry) {
            entries.add(entry);
            events.add("start " + entry.name());
            data = new ByteArrayOutputStream();
        }

        @Override
        public void entryData(byte[] b, int off, int len) {
            if (data == null) {
                events.add("data outside a member");
                return;
            }
            data.write(b, off, len);
        }

        @Override
        public void entryEnded() {
            events.add("end " + entries.get(entries.size() - 1).name() + ": "
                    + data.toString(StandardCharsets.UTF_8));
            data = null;
        }
    }
}
