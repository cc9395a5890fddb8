package com.neurocred.backup.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The algorithm of a PKCS#8 PEM private key, which pgJDBC must be told ({@code pemKeyAlgorithm}; it assumes
 * RSA) while libpq finds it itself. Found by letting each key factory try; the key is never kept or shown.
 */
public final class PrivateKeyAlgorithm {
    private static final Pattern PKCS8 = Pattern.compile("-----BEGIN PRIVATE KEY-----(.+?)-----END PRIVATE KEY-----",
            Pattern.DOTALL);
    private static final List<String> ALGORITHMS = List.of("RSA", "EC", "EdDSA");

    private PrivateKeyAlgorithm() {
    }

    /** RSA, EC or EdDSA; empty when the file holds no readable unencrypted PKCS#8 key of those. */
    public static Optional<String> of(Path file) {
        byte[] der;
        try {
            Matcher m = PKCS8.matcher(Files.readString(file, StandardCharsets.US_ASCII));
            if (!m.find()) {
                return Optional.empty();
            }
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        for (String algorithm : ALGORITHMS) {
            try {
                KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                return Optional.of(algorithm);
            } catch (GeneralSecurityException e) {
                // Not this algorithm: try the next.
            }
        }
        return Optional.empty();
    }
}
