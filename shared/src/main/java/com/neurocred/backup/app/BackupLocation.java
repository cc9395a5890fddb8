package com.neurocred.backup.app;

import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import java.net.URI;
import java.nio.file.Path;

/** A backup file an operator names: a local path or an {@code s3://bucket/key} URI, as a store and a name. */
public record BackupLocation(BackupStore store, String name) {

    /**
     * @param application builds the S3 store of a URI (sharing its upload threads)
     * @throws IllegalArgumentException for a URI that names no object
     */
    public static BackupLocation parse(String fileOrUri, BackupConfig config, BackupApplication application) {
        if (fileOrUri.startsWith("s3://")) {
            URI uri = URI.create(fileOrUri);
            String key = uri.getPath().startsWith("/") ? uri.getPath().substring(1) : uri.getPath();
            if (uri.getHost() == null || key.isEmpty() || key.endsWith("/")) {
                throw new IllegalArgumentException("'" + fileOrUri + "' names no object: expected s3://bucket/environment/file");
            }
            int slash = key.lastIndexOf('/');
            return new BackupLocation(application.s3Store(config, uri.getHost(), key.substring(0, slash + 1)),
                    key.substring(slash + 1));
        }
        Path file = Path.of(fileOrUri).toAbsolutePath().normalize();
        return new BackupLocation(new LocalDirectoryBackupStore(file.getParent()), file.getFileName().toString());
    }
}
