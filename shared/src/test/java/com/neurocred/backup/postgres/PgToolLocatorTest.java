package com.neurocred.backup.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgToolLocatorTest {
    private static PgTools tools(int major) {
        return new PgTools(Path.of("/usr/lib/postgresql/" + major + "/bin"), new PgVersion(major, major + ".3"));
    }

    @Test
    void choose_should_pickTheServersMajorVersion_when_severalAreInstalled() {
        PgTools chosen = PgToolLocator.choose(List.of(tools(13), tools(17), tools(15), tools(16)), new PgVersion(15, "15.4"), false);

        assertThat(chosen.version().major()).isEqualTo(15);
    }

    @Test
    void choose_should_pickTheOldestNewerVersion_when_noExactMatch() {
        PgTools chosen = PgToolLocator.choose(List.of(tools(13), tools(17), tools(16)), new PgVersion(15, "15.4"), false);

        assertThat(chosen.version().major()).isEqualTo(16);
    }

    @Test
    void choose_should_refuseNamingBothVersionsAndPgBin_when_onlyOlderToolsExist() {
        assertThatThrownBy(() -> PgToolLocator.choose(List.of(tools(13), tools(14)), new PgVersion(15, "15.4"), true))
                .isInstanceOf(PgToolsNotUsableException.class)
                .hasMessageContaining("pg_dump 14.3")
                .hasMessageContaining("PostgreSQL 15.4")
                .hasMessageContaining("PG_BIN");
    }

    @Test
    void choose_should_sayWhereItLooked_when_nothingIsInstalled() {
        assertThatThrownBy(() -> PgToolLocator.choose(List.of(), new PgVersion(16, "16.1"), false))
                .hasMessageContaining("pg_dump not found").hasMessageContaining("PG_BIN");
    }

    @Test
    void versions_should_parseToolAndServerForms() {
        assertThat(PgVersion.fromToolOutput("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"))
                .isEqualTo(new PgVersion(15, "15.18"));
        assertThat(PgVersion.fromToolOutput("pg_dump (PostgreSQL) 17beta2")).isEqualTo(new PgVersion(17, "17beta2"));
        assertThat(PgVersion.fromServer(150018, "15.18 (Debian 15.18-0+deb12u1)")).isEqualTo(new PgVersion(15, "15.18"));
        assertThat(PgVersion.fromServer(90624, "9.6.24")).isEqualTo(new PgVersion(9, "9.6.24"));
    }
}
