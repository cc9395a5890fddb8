package com.neurocred.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryBackupStoreTest {
    @TempDir
    Path dir;

    @Test
    void listStartingWith_should_giveOnlyCompleteFilesOfThatPrefix() throws Exception {
        Files.write(dir.resolve("000000010000000000000007.gz"), new byte[3]);
        Files.write(dir.resolve("000000010000000000000007"), new byte[5]);
        Files.write(dir.resolve("000000010000000000000008.gz"), new byte[7]);
        Files.write(dir.resolve(".incomplete-000000010000000000000007.gz"), new byte[1]);
        Files.createDirectory(dir.resolve("000000010000000000000007.d"));
        LocalDirectoryBackupStore store = new LocalDirectoryBackupStore(dir);

        assertThat(store.listStartingWith("000000010000000000000007"))
                .extracting(StoredObject::name, StoredObject::size)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("000000010000000000000007.gz", 3L),
                        org.assertj.core.groups.Tuple.tuple("000000010000000000000007", 5L));
        assertThat(store.list()).extracting(StoredObject::name).containsExactlyInAnyOrder(
                "000000010000000000000007.gz", "000000010000000000000007", "000000010000000000000008.gz");
        assertThat(LocalDirectoryBackupStore.folderOf(dir.resolve("missing-parent"), "wal").listStartingWith("0")).isEmpty();
    }
}
