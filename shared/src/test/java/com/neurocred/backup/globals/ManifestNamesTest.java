package com.neurocred.backup.globals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ManifestNamesTest {

    @Test
    void role_should_acceptAnyName_when_itFitsInSixtyThreeBytes() {
        assertThat(ManifestNames.role("app_owner")).isEqualTo("app_owner");
        assertThat(ManifestNames.role("Odd \"Role\"; DROP")).isEqualTo("Odd \"Role\"; DROP");
        assertThat(ManifestNames.role("é".repeat(31))).hasSize(31);
    }

    @Test
    void role_should_refuseAName_when_itIsLongerThanPostgresStores() {
        assertThatThrownBy(() -> ManifestNames.role("é".repeat(32))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 bytes long");
    }

    @Test
    void role_should_refuseEmptyNamesAndControlCharacters() {
        assertThatThrownBy(() -> ManifestNames.role("")).hasMessageContaining("empty role name");
        assertThatThrownBy(() -> ManifestNames.role("a\u0000b")).hasMessageContaining("control character")
                .hasMessageContaining("\\u0000");
    }

    @Test
    void guc_should_acceptParameterNames_and_refuseAnythingElse() {
        assertThat(ManifestNames.guc("search_path")).isEqualTo("search_path");
        assertThat(ManifestNames.guc("myext.setting_2")).isEqualTo("myext.setting_2");
        assertThatThrownBy(() -> ManifestNames.guc("2bad")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManifestNames.guc("a\"b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManifestNames.guc("a b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void predefined_should_recognisePgRoles() {
        assertThat(ManifestNames.predefined("pg_read_all_data")).isTrue();
        assertThat(ManifestNames.predefined("app_reader")).isFalse();
    }

    @Test
    void ident_should_quoteEveryName_and_literalShouldEscapeQuotes() {
        SqlQuoting q = new SqlQuoting(true);

        assertThat(q.ident("app\"owner")).isEqualTo("\"app\"\"owner\"");
        assertThat(q.literal("it's")).isEqualTo("'it''s'");
        assertThatThrownBy(() -> q.ident("a\u0000")).isInstanceOf(IllegalArgumentException.class);
    }
}
