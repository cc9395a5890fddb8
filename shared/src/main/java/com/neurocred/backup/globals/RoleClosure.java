package com.neurocred.backup.globals;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which roles a database needs on a new server, from the roles it references directly (owners, grantees,
 * roles with settings in it): their members, transitively (the roles that act through them, such as a
 * login role that reads through a reader role), and then every role those belong to, transitively (whose
 * privileges they carry). Predefined {@code pg_*} roles end the walk: they are kept as the targets of
 * memberships but never expanded, or every member of {@code pg_monitor} would come along.
 */
public final class RoleClosure {
    private RoleClosure() {
    }

    /** {@code member} belongs to {@code role}. */
    public record Edge(String role, String member) {
    }

    /** The referenced roles and all the roles found from them, sorted by name. */
    public static Set<String> of(Collection<String> referenced, List<Edge> memberships) {
        Set<String> down = walk(referenced, memberships, true);
        Set<String> all = walk(down, memberships, false);
        return new TreeSet<>(all);
    }

    private static Set<String> walk(Collection<String> start, List<Edge> edges, boolean towardsMembers) {
        Set<String> seen = new LinkedHashSet<>(start);
        Deque<String> queue = new ArrayDeque<>(start);
        while (!queue.isEmpty()) {
            String role = queue.poll();
            if (ManifestNames.predefined(role)) {
                continue;
            }
            for (Edge e : edges) {
                String from = towardsMembers ? e.role() : e.member();
                String to = towardsMembers ? e.member() : e.role();
                if (from.equals(role) && seen.add(to)) {
                    queue.add(to);
                }
            }
        }
        return seen;
    }
}
