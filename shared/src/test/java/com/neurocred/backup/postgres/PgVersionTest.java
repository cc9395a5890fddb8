package com.neurocred.backup.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgVersionTest {
    @Test
    void hasPsqlRestrict_should_followTheReleasesThatFixedCve20258714() {
        assertThat(tool("15.13").hasPsqlRestrict()).isFalse();
        assertThat(tool("15.14").hasPsqlRestrict()).isTrue();
        assertThat(tool("15.18").hasPsqlRestrict()).isTrue();
        assertThat(tool("13.21").hasPsqlRestrict()).isFalse();
        assertThat(tool("13.22").hasPsqlRestrict()).isTrue();
        assertThat(tool("14.19").hasPsqlRestrict()).isTrue();
        assertThat(tool("16.9").hasPsqlRestrict()).isFalse();
        assertThat(tool("16.10").hasPsqlRestrict()).isTrue();
        assertThat(tool("17.5").hasPsqlRestrict()).isFalse();
        assertThat(tool("17.6").hasPsqlRestrict()).isTrue();
        assertThat(tool("18beta1").hasPsqlRestrict()).isTrue();
        assertThat(tool("12.22").hasPsqlRestrict()).isFalse();
    }

    private static PgVersion tool(String version) {
        return PgVersion.fromToolOutput("psql (PostgreSQL) " + version);
    }
}
