package com.neurocred.backup.globals;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.globals.RoleClosure.Edge;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoleClosureTest {

    @Test
    void of_should_addMembersTransitively_and_theRolesTheyBelongTo() {
        List<Edge> edges = List.of(new Edge("app_reader", "app_user"), new Edge("app_user", "batch_user"),
                new Edge("auditors", "app_user"), new Edge("unrelated", "someone_else"));

        assertThat(RoleClosure.of(List.of("app_owner", "app_reader"), edges))
                .containsExactly("app_owner", "app_reader", "app_user", "auditors", "batch_user");
    }

    @Test
    void of_should_keepPredefinedRolesAsTargets_butNeverExpandThem() {
        List<Edge> edges = List.of(new Edge("pg_read_all_data", "app_user"), new Edge("pg_read_all_data", "monitoring"),
                new Edge("app_reader", "app_user"));

        assertThat(RoleClosure.of(List.of("app_reader"), edges))
                .containsExactly("app_reader", "app_user", "pg_read_all_data");
    }

    @Test
    void of_should_notWalkDownFromRolesFoundWalkingUp() {
        // app_user belongs to staff; staff's other members have nothing to do with the database.
        List<Edge> edges = List.of(new Edge("app_reader", "app_user"), new Edge("staff", "app_user"),
                new Edge("staff", "alice"));

        assertThat(RoleClosure.of(List.of("app_reader"), edges)).containsExactly("app_reader", "app_user", "staff");
    }

    @Test
    void of_should_stop_when_membershipsFormACycle() {
        List<Edge> edges = List.of(new Edge("a", "b"), new Edge("b", "a"));

        assertThat(RoleClosure.of(List.of("a"), edges)).containsExactly("a", "b");
    }
}
