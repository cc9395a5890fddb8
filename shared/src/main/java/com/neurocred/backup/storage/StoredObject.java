package com.neurocred.backup.storage;

/** A complete object in a store. */
public record StoredObject(String name, String location, long size) {
}
