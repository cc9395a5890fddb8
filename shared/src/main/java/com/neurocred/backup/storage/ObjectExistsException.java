package com.neurocred.backup.storage;

/**
 * A write that may only create found the name taken: objects are written once under their names, and
 * a second writer of the same name (two runs in the same second, a duplicate event) must never replace
 * what the first stored.
 */
public class ObjectExistsException extends StorageException {
    public ObjectExistsException(String location, Throwable cause) {
        super(location + " already exists and was left as it is", cause);
    }
}
