package com.neurocred.backup.globals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AclItemTest {

    @Test
    void parse_should_readGranteePrivilegesAndGrantor() {
        AclItem item = AclItem.parse("app_reader=r/app_owner");

        assertThat(item.grantee()).isEqualTo("app_reader");
        assertThat(item.privileges()).isEqualTo("r");
        assertThat(item.grantor()).isEqualTo("app_owner");
        assertThat(item.isPublic()).isFalse();
    }

    @Test
    void parse_should_readAnEmptyGranteeAsPublic() {
        AclItem item = AclItem.parse("=Tc/app_owner");

        assertThat(item.isPublic()).isTrue();
        assertThat(item.letters()).isEqualTo("Tc");
    }

    @Test
    void parse_should_unquoteNamesWithSpecialCharacters_when_theyAreQuoted() {
        AclItem item = AclItem.parse("\"odd=name/\"\"x\"\"\"=arw*/\"Owner Role\"");

        assertThat(item.grantee()).isEqualTo("odd=name/\"x\"");
        assertThat(item.grantor()).isEqualTo("Owner Role");
        assertThat(item.grantable('w')).isTrue();
        assertThat(item.grantable('r')).isFalse();
        assertThat(item.toString()).isEqualTo("\"odd=name/\"\"x\"\"\"=arw*/\"Owner Role\"");
    }

    @Test
    void parse_should_putPrivilegesInPostgresOrder_when_givenInAnother() {
        assertThat(AclItem.parse("u=tr*a/o").privileges()).isEqualTo("ar*t");
    }

    @Test
    void parse_should_refuseText_when_itIsNotAnAclitem() {
        assertThatThrownBy(() -> AclItem.parse("no equals sign")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected '='");
        assertThatThrownBy(() -> AclItem.parse("u=rQ/o")).hasMessageContaining("unknown privilege 'Q'");
        assertThatThrownBy(() -> AclItem.parse("\"u=r/o")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> AclItem.parse("u=r/o/x")).hasMessageContaining("after the grantor");
    }

    @Test
    void differences_should_beEmpty_when_theSameItemsComeInAnotherOrder() {
        List<AclItem> expected = AclItem.parseAll(List.of("app_owner=arwdDxt/app_owner", "app_reader=r/app_owner"));
        List<AclItem> actual = AclItem.parseAll(List.of("app_reader=r/app_owner", "app_owner=arwdDxt/app_owner"));

        assertThat(AclItem.differences(expected, actual)).isEmpty();
    }

    @Test
    void differences_should_nameMissingAndUnexpectedItems_when_listsDiffer() {
        List<AclItem> expected = AclItem.parseAll(List.of("app_owner=arwdDxt/app_owner", "app_reader=r/app_owner"));
        List<AclItem> actual = AclItem.parseAll(List.of("app_owner=arwdDxt/app_owner", "app_reader=rw/app_owner"));

        assertThat(AclItem.differences(expected, actual))
                .containsExactly("missing app_reader=r/app_owner", "unexpected app_reader=rw/app_owner");
    }

    @Test
    void without_should_dropTheLettersAndTheirGrantOptions() {
        AclItem item = AclItem.parse("app_owner=a*rwdDxtm*/app_owner");

        assertThat(item.without("m").toString()).isEqualTo("app_owner=a*rwdDxt/app_owner");
        assertThat(item.without("a").privileges()).isEqualTo("rwdDxtm*");
    }
}
