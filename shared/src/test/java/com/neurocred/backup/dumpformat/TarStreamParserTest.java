package com.neurocred.backup.dumpformat;

import static com.neurocred.backup.dumpformat.TarBytes.BLOCK;
import static com.neurocred.backup.dumpformat.TarBytes.archive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.dumpformat.TarStreamParser.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarStreamParserTest {
    private static final String LONG = "x".repeat(100);

    @TempDir
    Path dir;

    /** d/, d/a, d/l -> a and d/xxx…x (a 100-byte name, which ustar keeps in full only with "d" as prefix). */
    private byte[] realArchive() throws IOException {
        Path d = Files.createDirectory(dir.resolve("d"));
        Files.writeString(d.resolve("a"), "hello");
        Files.createSymbolicLink(d.resolve("l"), Path.of("a"));
        Files.writeString(d.resolve(LONG), "x\n");
        Files.setPosixFilePermissions(d.resolve("a"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(d.resolve(LONG), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-x---"));
        return TarBytes.systemTar(dir, "ustar", "d", "d/a", "d/l", "d/" + LONG);
    }

    private static TarBytes.Recorder parse(byte[] tar, int chunk) throws IOException {
        TarBytes.Recorder recorder = new TarBytes.Recorder();
        TarBytes.feed(new TarStreamParser(recorder), tar, chunk);
        return recorder;
    }

    @Test
    void update_should_reportEveryMember_when_readingARealUstarArchive() throws IOException {
        byte[] tar = realArchive();
        TarBytes.Recorder recorder = new TarBytes.Recorder();
        TarStreamParser parser = new TarStreamParser(recorder);

        parser.update(tar, 0, tar.length);

        assertThat(recorder.entries).containsExactly(
                new Entry("d/", '5', 0, 0750, ""),
                new Entry("d/a", '0', 5, 0640, ""),
                new Entry("d/l", '2', 0, 0777, "a"),
                new Entry("d/" + LONG, '0', 2, 0600, ""));
        assertThat(recorder.events).containsExactly(
                "start d/", "end d/: ",
                "start d/a", "end d/a: hello",
                "start d/l", "end d/l: ",
                "start d/" + LONG, "end d/" + LONG + ": x\n");
        assertThat(parser.entries()).isEqualTo(4);
        assertThat(parser.ended()).isTrue();
    }

    @Test
    void update_should_readTheSame_when_fedInAnyChunkSize() throws IOException {
        byte[] tar = realArchive();
        List<String> whole = parse(tar, tar.length).events;

        for (int chunk : new int[] {1, 2, 100, 511, 512, 513, 4096}) {
            assertThat(parse(tar, chunk).events).as("chunk " + chunk).isEqualTo(whole);
        }
    }

    @Test
    void update_should_keepMembersApart_when_sizesFallOnAndAroundBlockBoundaries() throws IOException {
        int[] sizes = {0, 1, 511, 512, 513, 1024, 1025};
        List<String> names = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            String name = "f" + sizes[i];
            // Each file its own letter, so bytes running into the next member would show.
            String content = String.valueOf((char) ('a' + i)).repeat(sizes[i]);
            Files.writeString(dir.resolve(name), content);
            names.add(name);
            expected.add("start " + name);
            expected.add("end " + name + ": " + content);
        }
        byte[] tar = TarBytes.systemTar(dir, "ustar", names.toArray(String[]::new));

        for (int chunk : new int[] {1, 511, 512, 513, tar.length}) {
            TarBytes.Recorder recorder = new TarBytes.Recorder();
            TarStreamParser parser = new TarStreamParser(recorder);
            TarBytes.feed(parser, tar, chunk);
            assertThat(recorder.events).as("chunk " + chunk).isEqualTo(expected);
            assertThat(parser.ended()).as("chunk " + chunk).isTrue();
            assertThat(parser.entries()).isEqualTo(sizes.length);
        }
    }

    @Test
    void ended_should_beFalse_when_theArchiveStopsBeforeItsEndMarker() throws IOException {
        byte[] tar = archive().file("a", "hello").file("b", "world").end().bytes();
        int afterMembers = 4 * BLOCK;

        for (int cut : new int[] {0, 100, BLOCK, BLOCK + 3, afterMembers, afterMembers + BLOCK,
                afterMembers + 2 * BLOCK - 1}) {
            TarBytes.Recorder recorder = new TarBytes.Recorder();
            TarStreamParser parser = new TarStreamParser(recorder);
            parser.update(tar, 0, cut);
            assertThat(parser.ended()).as("cut at " + cut).isFalse();
        }
        TarStreamParser whole = new TarStreamParser(new TarBytes.Recorder());
        whole.update(tar, 0, tar.length);
        assertThat(whole.ended()).isTrue();
    }

    @Test
    void update_should_leaveTheMemberOpen_when_cutInsideItsData() throws IOException {
        byte[] tar = archive().file("a", "hello").file("b", "world").end().bytes();
        TarBytes.Recorder recorder = new TarBytes.Recorder();
        TarStreamParser parser = new TarStreamParser(recorder);

        parser.update(tar, 0, 3 * BLOCK + 2);

        assertThat(recorder.events).containsExactly("start a", "end a: hello", "start b");
        assertThat(parser.entries()).isEqualTo(2);
        assertThat(parser.ended()).isFalse();
    }

    @Test
    void update_should_ignoreWhatFollowsTheEndMarker() throws IOException {
        byte[] tar = archive().file("a", "hello").end().bytes();
        byte[] padded = Arrays.copyOf(tar, tar.length + 3 * BLOCK);
        // Not zeros, not a header: nothing after the marker is read.
        Arrays.fill(padded, tar.length, padded.length, (byte) '9');
        TarBytes.Recorder recorder = new TarBytes.Recorder();
        TarStreamParser parser = new TarStreamParser(recorder);

        parser.update(padded, 0, padded.length);
        parser.update(padded, tar.length, BLOCK);

        assertThat(recorder.events).containsExactly("start a", "end a: hello");
        assertThat(parser.ended()).isTrue();
        assertThat(parser.entries()).isEqualTo(1);
    }

    @Test
    void update_should_refuse_when_aMemberFollowsASingleZeroBlock() throws IOException {
        byte[] tar = archive().file("a", "x").raw(new byte[BLOCK]).file("b", "y").end().bytes();
        TarStreamParser parser = new TarStreamParser(new TarBytes.Recorder());

        assertThatThrownBy(() -> parser.update(tar, 0, tar.length)).isInstanceOf(IOException.class)
                .hasMessage("the tar archive is damaged after 1 members (1536 bytes in): "
                        + "a member follows a single zero block");
    }

    @Test
    void update_should_refuse_when_aHeaderWasAltered() throws IOException {
        byte[] tar = archive().file("a", "x").file("base/1/1259", "y").end().bytes();
        tar[2 * BLOCK + 5] = 'X';
        TarBytes.Recorder recorder = new TarBytes.Recorder();
        TarStreamParser parser = new TarStreamParser(recorder);

        assertThatThrownBy(() -> parser.update(tar, 0, tar.length)).isInstanceOf(IOException.class)
                .hasMessage("the tar archive is damaged after 1 members (1024 bytes in): header checksum mismatch");
        assertThat(recorder.events).containsExactly("start a", "end a: x");
    }

    @Test
    void update_should_refuse_when_theChecksumFieldIsOffByOne() throws IOException {
        byte[] header = TarBytes.fileHeader("a", 0);
        // The sum less one, written as tar writes it.
        long sum = Long.parseLong(new String(header, 148, 6, StandardCharsets.US_ASCII), 8);
        TarBytes.put(header, 148, String.format("%06o", sum - 1));
        TarStreamParser parser = new TarStreamParser(new TarBytes.Recorder());

        assertThatThrownBy(() -> parser.update(header, 0, BLOCK))
                .hasMessage("the tar archive is damaged after 0 members (0 bytes in): header checksum mismatch");
    }

    @Test
    void update_should_refuse_when_theChecksumCountsTheFieldAsZerosOrSignedBytes() throws IOException {
        byte[] zeros = TarBytes.fileHeader("a", 0);
        long sum = Long.parseLong(new String(zeros, 148, 6, StandardCharsets.US_ASCII), 8);
        // Some writers sum the field as zeros; ustar says spaces (8 * 32 more).
        TarBytes.put(zeros, 148, String.format("%06o", sum - 8 * ' '));
        assertThatThrownBy(() -> new TarStreamParser(new TarBytes.Recorder()).update(zeros, 0, BLOCK))
                .hasMessageEndingWith("header checksum mismatch");

        byte[] signed = TarBytes.fileHeader("é", 0);
        long unsigned = Long.parseLong(new String(signed, 148, 6, StandardCharsets.US_ASCII), 8);
        // "é" is two bytes over 0x7f: as signed bytes each counts 256 less.
        TarBytes.put(signed, 148, String.format("%06o", unsigned - 2 * 256));
        assertThatThrownBy(() -> new TarStreamParser(new TarBytes.Recorder()).update(signed, 0, BLOCK))
                .hasMessageEndingWith("header checksum mismatch");
    }

    @Test
    void update_should_readNamesOutsideAscii_when_tarWroteThem() throws IOException {
        Files.writeString(dir.resolve("données-é"), "ü");
        byte[] tar = TarBytes.systemTar(dir, "ustar", "données-é");

        assertThat(parse(tar, tar.length).events).containsExactly("start données-é", "end données-é: ü");
    }

    @Test
    void update_should_refuse_when_aNumericFieldIsNotOctal() {
        for (String size : new String[] {"0000000008\0", "0000000/00\0", "000000000a\0"}) {
            byte[] header = TarBytes.fileHeader("a", 0);
            TarBytes.put(header, 124, size);
            TarBytes.seal(header);
            TarStreamParser parser = new TarStreamParser(new TarBytes.Recorder());

            assertThatThrownBy(() -> parser.update(header, 0, BLOCK)).as(size)
                    .hasMessage("the tar archive is damaged after 0 members (0 bytes in): a numeric field is not octal");
        }
        byte[] mode = TarBytes.fileHeader("a", 0);
        TarBytes.put(mode, 100, "0000648\0");
        TarBytes.seal(mode);
        assertThatThrownBy(() -> new TarStreamParser(new TarBytes.Recorder()).update(mode, 0, BLOCK))
                .hasMessageEndingWith("a numeric field is not octal");
    }

    @Test
    void update_should_readOctal_when_paddedWithSpacesAndEndedBySpaceOrNul() throws IOException {
        byte[] header = TarBytes.fileHeader("a", 0);
        // Leading blanks are skipped; the first blank after a digit ends the number, whatever follows.
        TarBytes.put(header, 124, "   13 zzzz\0\0");
        TarBytes.put(header, 100, " 644\0\0\0\0");
        TarBytes.seal(header);
        byte[] tar = archive().raw(header).data("elevenbytes".getBytes(StandardCharsets.US_ASCII))
                .file("b", "next").end().bytes();
        TarBytes.Recorder recorder = new TarBytes.Recorder();

        TarBytes.feed(new TarStreamParser(recorder), tar, tar.length);

        assertThat(recorder.entries.get(0)).isEqualTo(new Entry("a", '0', 11, 0644, ""));
        assertThat(recorder.events).containsExactly("start a", "end a: elevenbytes", "start b", "end b: next");
    }

    /** GNU tar's base-256 size: the first byte's high bit set, the value big-endian in the bytes after. */
    private static byte[] base256Header(String name, long size) {
        byte[] header = TarBytes.fileHeader(name, 0);
        Arrays.fill(header, 124, 136, (byte) 0);
        header[124] = (byte) 0x80;
        for (int i = 135; i > 124; i--) {
            header[i] = (byte) size;
            size >>>= 8;
        }
        return TarBytes.seal(header);
    }

    @Test
    void update_should_readBase256Sizes() throws IOException {
        byte[] content = "z".repeat(513).getBytes(StandardCharsets.US_ASCII);
        byte[] tar = archive().raw(base256Header("big", 513)).data(content).file("next", "n").end().bytes();
        TarBytes.Recorder recorder = new TarBytes.Recorder();
        TarStreamParser parser = new TarStreamParser(recorder);

        TarBytes.feed(parser, tar, 100);

        assertThat(recorder.events).containsExactly("start big", "end big: " + "z".repeat(513), "start next", "end next: n");
        assertThat(parser.ended()).isTrue();
    }

    @Test
    void update_should_reportTheFullSize_when_overEightGibibytes() throws IOException {
        long size = (8L << 30) * 3 + 1;
        TarBytes.Recorder recorder = new TarBytes.Recorder();
        TarStreamParser parser = new TarStreamParser(recorder);

        parser.update(base256Header("huge", size), 0, BLOCK);
        parser.update(new byte[BLOCK * 2], 0, BLOCK * 2);

        assertThat(recorder.entries).extracting(Entry::size).containsExactly(size);
        // Two zero blocks inside its data are data, not the end of the archive.
        assertThat(recorder.events).containsExactly("start huge");
        assertThat(parser.ended()).isFalse();
    }

    @Test
    void update_should_ignoreThePrefixField_when_theHeaderIsNotUstar() throws IOException {
        byte[] header = TarBytes.fileHeader("name", 1);
        Arrays.fill(header, 257, 265, (byte) 0);
        TarBytes.put(header, 345, "prefix");
        TarBytes.seal(header);
        byte[] ustar = TarBytes.fileHeader("name", 1);
        TarBytes.put(ustar, 345, "prefix");
        TarBytes.seal(ustar);
        byte[] tar = archive().raw(header).data(new byte[] {'1'}).raw(ustar).data(new byte[] {'2'}).end().bytes();

        assertThat(parse(tar, tar.length).events)
                .containsExactly("start name", "end name: 1", "start prefix/name", "end prefix/name: 2");
    }

    @Test
    void update_should_handDataOnlyForFiles_when_typeIsFileNulOrContiguous() throws IOException {
        byte[] tar = archive()
                .raw(TarBytes.header("old", '\0', 3, 0644, "")).data("old".getBytes(StandardCharsets.US_ASCII))
                .raw(TarBytes.header("contiguous", '7', 1, 0644, "")).data("c".getBytes(StandardCharsets.US_ASCII))
                .raw(TarBytes.header("hard", '1', 0, 0644, "old"))
                .symlink("sym", "old")
                .dir("dir/")
                .end().bytes();

        assertThat(parse(tar, 7).events).containsExactly(
                "start old", "end old: old",
                "start contiguous", "end contiguous: c",
                "start hard", "end hard: ",
                "start sym", "end sym: ",
                "start dir/", "end dir/: ");
    }

    @Test
    void entry_should_tellFilesFromDirectoriesAndSymlinks() {
        assertThat(new Entry("f", '0', 0, 0, "").isFile()).isTrue();
        assertThat(new Entry("f", '\0', 0, 0, "").isFile()).isTrue();
        assertThat(new Entry("f", '7', 0, 0, "").isFile()).isTrue();
        for (char other : new char[] {'1', '2', '5', 'L', 'x', 'g', '6'}) {
            assertThat(new Entry("o", other, 0, 0, "").isFile()).as("type " + other).isFalse();
        }
        assertThat(new Entry("d", '5', 0, 0, "").isDirectory()).isTrue();
        assertThat(new Entry("d", '0', 0, 0, "").isDirectory()).isFalse();
        assertThat(new Entry("l", '2', 0, 0, "t").isSymlink()).isTrue();
        assertThat(new Entry("l", '1', 0, 0, "t").isSymlink()).isFalse();
    }

    @Test
    void update_should_passNamesOnVerbatim_when_theyClimbOutOrAreAbsolute() throws IOException {
        // The parser does not judge names: whoever writes members to disk must refuse these.
        byte[] tar = archive().file("../../etc/cron.d/evil", "e").file("/etc/passwd", "p")
                .symlink("pg_tblspc/16384", "/etc").end().bytes();
        TarBytes.Recorder recorder = new TarBytes.Recorder();

        TarBytes.feed(new TarStreamParser(recorder), tar, tar.length);

        assertThat(recorder.entries).extracting(Entry::name)
                .containsExactly("../../etc/cron.d/evil", "/etc/passwd", "pg_tblspc/16384");
        assertThat(recorder.entries.get(2).linkName()).isEqualTo("/etc");
    }

    @Test
    void update_should_refuse_when_gnuLongNamesAreUsed() throws IOException {
        // pg_basebackup never writes them (its names fit ustar); their name block is no header.
        String name = "y".repeat(150);
        Files.writeString(dir.resolve(name), "long");
        byte[] tar = TarBytes.systemTar(dir, "gnu", name);
        TarBytes.Recorder recorder = new TarBytes.Recorder();
        TarStreamParser parser = new TarStreamParser(recorder);

        assertThatThrownBy(() -> parser.update(tar, 0, tar.length)).isInstanceOf(IOException.class)
                .hasMessage("the tar archive is damaged after 1 members (512 bytes in): a numeric field is not octal");
        assertThat(recorder.entries).extracting(Entry::type).containsExactly('L');
    }

    @Test
    void update_should_refuse_when_paxHeadersAreUsed() throws IOException {
        Files.writeString(dir.resolve("z".repeat(120)), "pax");
        byte[] tar = TarBytes.systemTar(dir, "pax", "z".repeat(120));
        TarStreamParser parser = new TarStreamParser(new TarBytes.Recorder());

        assertThatThrownBy(() -> parser.update(tar, 0, tar.length)).isInstanceOf(IOException.class)
                // Which field of the record text fails to parse depends on its length.
                .hasMessageStartingWith("the tar archive is damaged after 1 members (512 bytes in): ");
    }
}
