package com.neurocred.backup.notify;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it leaves the process: the configured password wherever it appears,
 * and password-looking assignments in connection strings or command lines.
 */
public final class SecretMasker {
    private static final String MASK = "****";
    private static final Pattern ASSIGNMENTS = Pattern.compile(
            "(?i)(password|passwd|pgpassword|secret)(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s&;,]+)");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(://[^:/@\\s]+:)([^@\\s]+)(@)");

    private final List<String> secrets;

    public SecretMasker(Collection<String> secrets) {
        // Very short values would mask ordinary words; such passwords get no extra help here.
        this.secrets = secrets.stream().filter(Objects::nonNull).filter(s -> s.length() >= 4).toList();
    }

    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        out = ASSIGNMENTS.matcher(out).replaceAll("$1$2" + MASK);
        return URL_CREDENTIALS.matcher(out).replaceAll("$1" + MASK + "$3");
    }
}
