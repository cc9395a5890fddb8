package com.neurocred.backup.storage;

import java.io.OutputStream;

/** An object being written. Either {@link #complete()} or {@link #abort()} ends it; abort is always safe. */
public interface ObjectUpload extends AutoCloseable {

    /** Where to write the object's bytes. Closing it does not complete the upload. */
    OutputStream stream();

    /** Makes the object visible under its name. */
    StoredObject complete();

    /** Discards everything written; leaves no partial object or open multipart upload behind. Never throws. */
    void abort();

    /**
     * Why the last {@link #abort()} could not discard everything (S3 refused to abort the multipart
     * upload), so a message never claims an abort that did not happen; empty when it did.
     */
    default java.util.Optional<String> abortFailure() {
        return java.util.Optional.empty();
    }

    /** Aborts unless completed. */
    @Override
    void close();
}
