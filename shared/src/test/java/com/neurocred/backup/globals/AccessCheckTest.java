package com.neurocred.backup.globals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessCheckTest {

    @Test
    void privilegesNewerThan_should_leaveOutMaintain_when_theSourceIsOlderThan17() {
        assertThat(AccessCheck.privilegesNewerThan("15.14 (Debian 15.14-1.pgdg120+1)")).isEqualTo("m");
        assertThat(AccessCheck.privilegesNewerThan("16.4")).isEqualTo("m");
    }

    @Test
    void privilegesNewerThan_should_leaveOutNothing_when_theSourceHasMaintainOrIsUnknown() {
        assertThat(AccessCheck.privilegesNewerThan("17.2")).isEmpty();
        assertThat(AccessCheck.privilegesNewerThan(null)).isEmpty();
        assertThat(AccessCheck.privilegesNewerThan("devel")).isEmpty();
    }
}
