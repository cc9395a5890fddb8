package com.neurocred.backup.globals;

import java.util.List;

/**
 * The backup's objects belong to roles the target server lacks, and the connecting user may not create
 * them: a matter of the target's privileges, not of the backup.
 */
public final class MissingRolesException extends RuntimeException {
    private final List<String> missing;

    public MissingRolesException(List<String> missing, String message) {
        super(message);
        this.missing = List.copyOf(missing);
    }

    public List<String> missing() {
        return missing;
    }
}
