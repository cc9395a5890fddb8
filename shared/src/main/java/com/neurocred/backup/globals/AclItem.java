package com.neurocred.backup.globals;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code aclitem} as PostgreSQL prints it: {@code grantee=privileges/grantor}, an empty grantee meaning
 * PUBLIC, names in double quotes when they hold anything but letters, digits and underscores, and a
 * {@code *} after each privilege held with grant option. Parsed from manifests and from the restored
 * server's catalogs, so both can be compared item by item whatever their order.
 *
 * @param privileges the privilege letters in PostgreSQL's own order, each followed by {@code *} when grantable
 */
public record AclItem(String grantee, String privileges, String grantor) {
    /** ACL_ALL_RIGHTS_STR: every privilege letter, in the order PostgreSQL prints them. */
    static final String ALL_RIGHTS = "arwdDxtXUCTcsAm";

    public boolean isPublic() {
        return grantee.isEmpty();
    }

    /**
     * Parses one item.
     *
     * @throws IllegalArgumentException for text that is not an aclitem
     */
    public static AclItem parse(String text) {
        Reader r = new Reader(text);
        String grantee = r.name();
        r.expect('=');
        StringBuilder privileges = new StringBuilder();
        while (!r.atEnd() && r.peek() != '/') {
            char c = r.next();
            if (ALL_RIGHTS.indexOf(c) < 0) {
                throw new IllegalArgumentException("'" + text + "' is not a privilege list: unknown privilege '" + c + "'");
            }
            privileges.append(c);
            if (!r.atEnd() && r.peek() == '*') {
                privileges.append(r.next());
            }
        }
        String grantor = "";
        if (!r.atEnd()) {
            r.expect('/');
            grantor = r.name();
        }
        if (!r.atEnd()) {
            throw new IllegalArgumentException("'" + text + "' is not an aclitem: unexpected text after the grantor");
        }
        return new AclItem(grantee, canonical(privileges.toString()), grantor);
    }

    public static List<AclItem> parseAll(Collection<String> items) {
        return items.stream().map(AclItem::parse).toList();
    }

    /** The privilege letters, without grant options. */
    public String letters() {
        return privileges.replace("*", "");
    }

    /** This item without the given privilege letters (and their grant options). */
    public AclItem without(String letters) {
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i < privileges.length(); i++) {
            char c = privileges.charAt(i);
            boolean dropped = letters.indexOf(c) >= 0 || (c == '*' && letters.indexOf(privileges.charAt(i - 1)) >= 0);
            if (!dropped) {
                kept.append(c);
            }
        }
        return new AclItem(grantee, kept.toString(), grantor);
    }

    /** Whether the privilege is held with grant option. */
    public boolean grantable(char letter) {
        int at = privileges.indexOf(letter);
        return at >= 0 && at + 1 < privileges.length() && privileges.charAt(at + 1) == '*';
    }

    /**
     * What differs between two privilege lists, item by item and in any order: {@code missing …} for what the
     * expected list has and the actual lacks, {@code unexpected …} for the reverse. Empty when they agree.
     */
    public static List<String> differences(Collection<AclItem> expected, Collection<AclItem> actual) {
        Set<AclItem> want = new LinkedHashSet<>(expected);
        Set<AclItem> have = new LinkedHashSet<>(actual);
        List<String> out = new ArrayList<>();
        want.stream().filter(i -> !have.contains(i)).forEach(i -> out.add("missing " + i));
        have.stream().filter(i -> !want.contains(i)).forEach(i -> out.add("unexpected " + i));
        return out;
    }

    /** Back to PostgreSQL's text form. */
    @Override
    public String toString() {
        return quoteName(grantee) + "=" + privileges + (grantor.isEmpty() ? "" : "/" + quoteName(grantor));
    }

    private static String quoteName(String name) {
        boolean plain = name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_'));
        return plain ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String canonical(String privileges) {
        StringBuilder out = new StringBuilder();
        for (char c : ALL_RIGHTS.toCharArray()) {
            int at = privileges.indexOf(c);
            if (at >= 0) {
                out.append(c);
                if (at + 1 < privileges.length() && privileges.charAt(at + 1) == '*') {
                    out.append('*');
                }
            }
        }
        return out.toString();
    }

    /** A cursor over the text, reading names as aclitemout writes them (putid) and aclitemin reads them (getid). */
    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            if (text == null) {
                throw new IllegalArgumentException("an aclitem is missing (null)");
            }
            this.text = text;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        char peek() {
            return text.charAt(at);
        }

        char next() {
            return text.charAt(at++);
        }

        void expect(char c) {
            if (atEnd() || next() != c) {
                throw new IllegalArgumentException("'" + text + "' is not an aclitem: expected '" + c + "'");
            }
        }

        String name() {
            StringBuilder out = new StringBuilder();
            boolean quoted = false;
            while (!atEnd()) {
                char c = peek();
                if (c == '"') {
                    at++;
                    if (quoted && !atEnd() && peek() == '"') {
                        out.append('"');
                        at++;
                    } else {
                        quoted = !quoted;
                    }
                } else if (!quoted && (c == '=' || c == '/')) {
                    break;
                } else {
                    out.append(c);
                    at++;
                }
            }
            if (quoted) {
                throw new IllegalArgumentException("'" + text + "' is not an aclitem: a quoted name is never closed");
            }
            return out.toString();
        }
    }
}
