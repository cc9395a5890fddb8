package com.neurocred.backup.cli.invoke;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * IAM's evaluation of one request against policy statements, for the rules the emulator cannot judge (it
 * treats every Condition as met and applies no bucket policy with conditions): an explicit Deny wins, then an
 * Allow, else the request is implicitly denied. Action, Resource and Principal ("*" or {"AWS": ARNs}) match
 * with IAM's wildcards; the condition operators are those the template uses, with IAM's rules for a key the
 * request does not carry (a positive operator fails, a negated one and an ...IfExists one hold, Null tells
 * absence). An operator not known here fails the test that meets it instead of being guessed at.
 */
final class PolicyEvaluator {
    enum Decision { ALLOWED, EXPLICITLY_DENIED, IMPLICITLY_DENIED }

    /**
     * @param context the request's condition keys and their values (s3:prefix, s3:if-none-match,
     *                s3:x-amz-server-side-encryption, aws:PrincipalArn, aws:SecureTransport, ...)
     */
    record Request(String principalArn, String action, String resource, Map<String, String> context) {
    }

    private PolicyEvaluator() {
    }

    static Decision evaluate(List<Map<String, Object>> statements, Request request) {
        boolean allowed = false;
        for (Map<String, Object> statement : statements) {
            if (applies(statement, request)) {
                if ("Deny".equals(statement.get("Effect"))) {
                    return Decision.EXPLICITLY_DENIED;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOWED : Decision.IMPLICITLY_DENIED;
    }

    private static boolean applies(Map<String, Object> statement, Request request) {
        if (statement.containsKey("NotAction") || statement.containsKey("NotResource") || statement.containsKey("NotPrincipal")) {
            throw new IllegalArgumentException("not understood here: " + statement);
        }
        return principalMatches(statement.get("Principal"), request.principalArn())
                && anyMatches(statement.get("Action"), request.action(), true)
                && anyMatches(statement.get("Resource"), request.resource(), false)
                && conditionsHold(statement.get("Condition"), request.context());
    }

    private static boolean principalMatches(Object principal, String arn) {
        if (principal == null || "*".equals(principal)) {
            return true;
        }
        if (principal instanceof Map<?, ?> map && map.keySet().equals(java.util.Set.of("AWS"))) {
            return anyMatches(map.get("AWS"), arn, false);
        }
        throw new IllegalArgumentException("principal not understood here: " + principal);
    }

    private static boolean anyMatches(Object patterns, String value, boolean ignoreCase) {
        for (Object pattern : patterns instanceof List<?> list ? list : List.of(patterns)) {
            if (like(String.valueOf(pattern), value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    /** IAM's wildcards: * any run of characters, ? one character. */
    static boolean like(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
    }

    @SuppressWarnings("unchecked")
    private static boolean conditionsHold(Object condition, Map<String, String> context) {
        if (condition == null) {
            return true;
        }
        for (Map.Entry<String, Object> operator : ((Map<String, Object>) condition).entrySet()) {
            for (Map.Entry<String, Object> key : ((Map<String, Object>) operator.getValue()).entrySet()) {
                List<String> expected = (key.getValue() instanceof List<?> l ? l : List.of(key.getValue())).stream()
                        .map(String::valueOf).toList();
                if (!holds(operator.getKey(), expected, context.get(key.getKey()))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(String operator, List<String> expected, String actual) {
        if (operator.equals("Null")) {
            return expected.stream().allMatch(e -> Boolean.parseBoolean(e) == (actual == null));
        }
        boolean ifExists = operator.endsWith("IfExists");
        String op = ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
        boolean negated = op.contains("Not");
        if (actual == null) {
            return ifExists || negated;
        }
        boolean anyMatch = expected.stream().anyMatch(e -> switch (op) {
            case "StringEquals", "StringNotEquals", "ArnEquals", "ArnNotEquals" -> e.equals(actual);
            case "StringLike", "StringNotLike", "ArnLike", "ArnNotLike" -> like(e, actual, false);
            case "Bool" -> e.toLowerCase(Locale.ROOT).equals(actual.toLowerCase(Locale.ROOT));
            default -> throw new IllegalArgumentException("condition operator not understood here: " + operator);
        });
        return negated != anyMatch;
    }
}
