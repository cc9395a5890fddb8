package com.neurocred.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's view of a store: one listing for every reader, and nothing written through it. */
class ListedOnceReadOnlyStoreTest {
    @TempDir
    Path dir;

    @Test
    void list_should_answerFromTheFirstListing_soEveryReaderSeesOnePicture() throws Exception {
        Files.writeString(dir.resolve("manifest_staging_20260101_020000.json"), "{}");
        ListedOnceReadOnlyStore view = new ListedOnceReadOnlyStore(new LocalDirectoryBackupStore(dir));

        List<StoredObject> first = view.list();
        Files.writeString(dir.resolve("manifest_staging_20260102_020000.json"), "{}");

        assertThat(view.list()).isSameAs(first).extracting(StoredObject::name)
                .containsExactly("manifest_staging_20260101_020000.json");
        assertThat(view.listStartingWith("manifest_")).hasSize(1);
        assertThat(view.listStartingWith("verification_")).isEmpty();
        assertThat(view.exists("manifest_staging_20260102_020000.json")).as("reads go to the store").isTrue();
        try (var in = view.open("manifest_staging_20260101_020000.json")) {
            assertThat(new String(in.readAllBytes())).isEqualTo("{}");
        }
        assertThat(view.root()).isEqualTo(new LocalDirectoryBackupStore(dir).root());
    }

    @Test
    void writes_should_beRefused_andTheStoreLeftAsItWas() throws Exception {
        Files.writeString(dir.resolve("a.json"), "{}");
        ListedOnceReadOnlyStore view = new ListedOnceReadOnlyStore(new LocalDirectoryBackupStore(dir));

        assertThatThrownBy(() -> view.putSmall("b.json", new byte[1], "application/json"))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("read-only");
        assertThatThrownBy(() -> view.delete("a.json")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> view.deleteAll(List.of("a.json"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> view.openUpload("c.sql.gz", 10)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> view.createSmall("d.json", new byte[1], "application/json", java.util.Map.of()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> view.lease("e.lease", java.time.Duration.ofMinutes(1), "me"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> view.setLegalHold(List.of("a.json"), true)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(view::checkWritable).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(view::discardAbandonedUploads).isInstanceOf(UnsupportedOperationException.class);

        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.json");
        }
    }
}
