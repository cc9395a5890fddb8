package com.neurocred.backup.config;

import com.neurocred.backup.compress.Compression;

/**
 * How backups are compressed: gzip or zstd for plain dumps (base backups are always gzip), the level,
 * and how many threads compress.
 */
public record CompressionSettings(Compression compression, int level, int threads) {
}
