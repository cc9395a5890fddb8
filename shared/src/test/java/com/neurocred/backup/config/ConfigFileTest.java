package com.neurocred.backup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The env-file the archive and restore commands read: the shell's NAME=value form, without expansion. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path file(String... lines) throws Exception {
        return Files.writeString(dir.resolve("backup.env"), String.join("\n", lines) + "\n");
    }

    @Test
    void read_should_takeEveryVariable_skippingBlankLinesAndComments() throws Exception {
        Map<String, String> values = ConfigFile.read(file(
                "# settings for archive_command",
                "",
                "   ",
                "  # an indented comment",
                "ENVIRONMENT=production",
                "export DB_HOST=db.internal",
                "export\tDB_PORT = 5433 ",
                "  DB_USER  =backup",
                "_UNDERSCORE_1=x"));

        assertThat(values).containsExactly(Map.entry("ENVIRONMENT", "production"), Map.entry("DB_HOST", "db.internal"),
                Map.entry("DB_PORT", "5433"), Map.entry("DB_USER", "backup"), Map.entry("_UNDERSCORE_1", "x"));
    }

    @Test
    void read_should_stripMatchingQuotes_andKeepEverythingElseAsWritten() throws Exception {
        Map<String, String> values = ConfigFile.read(file(
                "DOUBLE=\"two words\"",
                "SINGLE='$HOME # not a comment'",
                "EMPTY_QUOTED=\"\"",
                "EMPTY_SINGLE=''",
                "EMPTY=",
                "LONE_QUOTE=\"",
                "LONE_APOSTROPHE='",
                "MIXED=\"mixed'",
                "MIXED_OTHER='mixed\"",
                "OPEN=\"open",
                "CLOSE=close\"",
                "EQUALS=a=b=c",
                "INNER=x\"y\"z"));

        assertThat(values).containsExactly(
                Map.entry("DOUBLE", "two words"),
                Map.entry("SINGLE", "$HOME # not a comment"),
                Map.entry("EMPTY_QUOTED", ""),
                Map.entry("EMPTY_SINGLE", ""),
                Map.entry("EMPTY", ""),
                Map.entry("LONE_QUOTE", "\""),
                Map.entry("LONE_APOSTROPHE", "'"),
                Map.entry("MIXED", "\"mixed'"),
                Map.entry("MIXED_OTHER", "'mixed\""),
                Map.entry("OPEN", "\"open"),
                Map.entry("CLOSE", "close\""),
                Map.entry("EQUALS", "a=b=c"),
                Map.entry("INNER", "x\"y\"z"));
    }

    @Test
    void read_should_letTheLastLineWin_when_aVariableIsSetTwice() throws Exception {
        assertThat(ConfigFile.read(file("A=1", "A=2"))).containsExactly(Map.entry("A", "2"));
    }

    @Test
    void read_should_nameTheFileAndEveryBadLineByNumber() throws Exception {
        Path file = file(
                "# header",
                "GOOD=1",
                "not a setting",
                "1BAD=x",
                "export",
                "OK=2",
                "NAME WITH SPACE=3");

        assertThatThrownBy(() -> ConfigFile.read(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        file + " line 3: expected NAME=value",
                        file + " line 4: expected NAME=value",
                        file + " line 5: expected NAME=value",
                        file + " line 7: expected NAME=value"));
    }

    @Test
    void read_should_nameTheFileAndSayWhatToGive_when_itCannotBeRead() {
        Path missing = dir.resolve("absent.env");

        assertThatThrownBy(() -> ConfigFile.read(missing))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString()
                        .startsWith("config file " + missing + " could not be read (")
                        .endsWith("): give a readable file of NAME=value lines, readable by the user the command runs as"));
    }

    @Test
    void read_should_giveNothing_when_theFileIsEmpty() throws Exception {
        assertThat(ConfigFile.read(Files.writeString(dir.resolve("empty.env"), ""))).isEmpty();
    }
}
