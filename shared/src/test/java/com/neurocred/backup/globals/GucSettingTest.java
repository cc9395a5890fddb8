package com.neurocred.backup.globals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GucSettingTest {
    private final SqlQuoting quoting = new SqlQuoting(true);

    @Test
    void toSql_should_splitAListValuedSettingIntoOneLiteralPerElement() {
        GucSetting setting = GucSetting.parse("search_path=app, \"$user\", public");

        assertThat(setting.toSql(quoting)).isEqualTo("\"search_path\" TO 'app', '$user', 'public'");
    }

    @Test
    void toSql_should_keepAnOrdinaryValueAsOneLiteral_when_itHasCommas() {
        GucSetting setting = GucSetting.parse("application_name=a, b");

        assertThat(setting.toSql(quoting)).isEqualTo("\"application_name\" TO 'a, b'");
    }

    @Test
    void toSql_should_escapeQuotes_when_aValueHoldsThem() {
        GucSetting setting = GucSetting.parse("myext.greeting=it's'; DROP TABLE x; --");

        assertThat(setting.toSql(quoting)).isEqualTo("\"myext.greeting\" TO 'it''s''; DROP TABLE x; --'");
    }

    @Test
    void toSql_should_doubleBackslashes_when_theServerTreatsThemAsEscapes() {
        GucSetting setting = GucSetting.parse("myext.path=C:\\dir");

        assertThat(setting.toSql(new SqlQuoting(false))).isEqualTo("\"myext.path\" TO 'C:\\\\dir'");
        assertThat(setting.toSql(quoting)).isEqualTo("\"myext.path\" TO 'C:\\dir'");
    }

    @Test
    void splitList_should_unquoteElementsAndCollapseDoubledQuotes() {
        assertThat(GucSetting.splitList("\"a,b\" ,  \"Q\"\"x\", plain")).contains(List.of("a,b", "Q\"x", "plain"));
        assertThat(GucSetting.splitList("\"\"")).contains(List.of(""));
        assertThat(GucSetting.splitList("  ")).contains(List.of());
    }

    @Test
    void splitList_should_beEmpty_when_theListIsMalformed() {
        assertThat(GucSetting.splitList("\"never closed")).isEqualTo(Optional.empty());
        assertThat(GucSetting.splitList("a,")).isEqualTo(Optional.empty());
        assertThat(GucSetting.splitList("a b")).isEqualTo(Optional.empty());
        assertThat(GucSetting.splitList(",a")).isEqualTo(Optional.empty());
    }

    @Test
    void listQuoted_should_knowPgDumpsListOfParameters_whateverTheCase() {
        assertThat(GucSetting.parse("Search_Path=x").listQuoted()).isTrue();
        assertThat(GucSetting.parse("temp_tablespaces=x").listQuoted()).isTrue();
        assertThat(GucSetting.parse("shared_preload_libraries=x").listQuoted()).isTrue();
        assertThat(GucSetting.parse("work_mem=64MB").listQuoted()).isFalse();
    }

    @Test
    void parse_should_refuseAnEntry_when_theNameIsNotAParameterName() {
        assertThatThrownBy(() -> GucSetting.parse("work_mem TO 1; DROP=x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a configuration parameter name");
        assertThatThrownBy(() -> GucSetting.parse("no-equals")).hasMessageContaining("not name=value");
        assertThatThrownBy(() -> GucSetting.parse("=value")).hasMessageContaining("not name=value");
    }
}
