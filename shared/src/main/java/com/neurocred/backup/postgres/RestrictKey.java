package com.neurocred.backup.postgres;

import java.security.SecureRandom;

/**
 * A key for psql's {@code \restrict}: while it is in force psql refuses every meta-command but the
 * matching unrestrict command, so the key must be one a dump cannot know (pg_dump's own key is printed
 * in the dump itself). Alphanumeric, as psql requires.
 */
final class RestrictKey {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int LENGTH = 48;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RestrictKey() {
    }

    static String random() {
        StringBuilder key = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return key.toString();
    }
}
