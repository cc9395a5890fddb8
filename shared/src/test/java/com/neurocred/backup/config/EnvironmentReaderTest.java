package com.neurocred.backup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Typed reads of environment variables: ranges inclusive at both ends, every problem named with its variable. */
class EnvironmentReaderTest {

    private static EnvironmentReader reader(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return new EnvironmentReader(env);
    }

    private static ConfigException problems(EnvironmentReader in) {
        try {
            in.throwIfProblems();
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected problems");
    }

    @Test
    void optional_should_trimTheValue_andTreatBlankAsUnset() {
        EnvironmentReader in = reader("SET", "  value \t", "BLANK", "   ", "EMPTY", "");

        assertThat(in.optional("SET")).contains("value");
        assertThat(in.optional("BLANK")).isEmpty();
        assertThat(in.optional("EMPTY")).isEmpty();
        assertThat(in.optional("ABSENT")).isEmpty();
        assertThatCode(in::throwIfProblems).doesNotThrowAnyException();
    }

    @Test
    void required_should_nameTheVariableAndWhatItExpects_when_itIsUnsetOrBlank() {
        EnvironmentReader in = reader("HOST", " db ", "USER", " ");

        assertThat(in.required("HOST", "the host")).isEqualTo("db");
        assertThat(in.required("USER", "the user")).isNull();
        assertThat(in.required("NAME", "the database name")).isNull();
        assertThat(problems(in).problems()).containsExactly("USER is not set: expected the user",
                "NAME is not set: expected the database name");
    }

    @Test
    void integer_should_acceptBothEndsOfTheRange_andNameTheVariable_justOutsideIt() {
        EnvironmentReader in = reader("LOW", "1", "HIGH", "10", "BELOW", "0", "ABOVE", "11", "TEXT", "ten", "PADDED", " 7 ");

        assertThat(in.integer("LOW", 5, 1, 10)).isEqualTo(1);
        assertThat(in.integer("HIGH", 5, 1, 10)).isEqualTo(10);
        assertThat(in.integer("PADDED", 5, 1, 10)).isEqualTo(7);
        assertThat(in.integer("UNSET", 5, 1, 10)).isEqualTo(5);
        assertThat(in.integer("BELOW", 5, 1, 10)).isEqualTo(5);
        assertThat(in.integer("ABOVE", 5, 1, 10)).isEqualTo(5);
        assertThat(in.integer("TEXT", 5, 1, 10)).isEqualTo(5);
        assertThat(problems(in).problems()).containsExactly(
                "BELOW='0' is invalid: expected an integer from 1 to 10",
                "ABOVE='11' is invalid: expected an integer from 1 to 10",
                "TEXT='ten' is invalid: expected an integer from 1 to 10");
    }

    @Test
    void decimal_should_acceptBothEndsOfTheRange_andRefuseWhatIsOutsideOrNotANumber() {
        EnvironmentReader in = reader("LOW", "0.5", "HIGH", "2", "MID", "1.25", "BELOW", "0.49", "ABOVE", "2.01",
                "NAN", "NaN", "TEXT", "half");

        assertThat(in.decimal("LOW", 1.0, 0.5, 2.0)).isEqualTo(0.5);
        assertThat(in.decimal("HIGH", 1.0, 0.5, 2.0)).isEqualTo(2.0);
        assertThat(in.decimal("MID", 1.0, 0.5, 2.0)).isEqualTo(1.25);
        assertThat(in.decimal("UNSET", 1.0, 0.5, 2.0)).isEqualTo(1.0);
        assertThat(in.decimal("BELOW", 1.0, 0.5, 2.0)).isEqualTo(1.0);
        assertThat(in.decimal("ABOVE", 1.0, 0.5, 2.0)).isEqualTo(1.0);
        // NaN compares false with everything: the range test is written so that it fails too.
        assertThat(in.decimal("NAN", 1.0, 0.5, 2.0)).isEqualTo(1.0);
        assertThat(in.decimal("TEXT", 1.0, 0.5, 2.0)).isEqualTo(1.0);
        assertThat(problems(in).problems()).containsExactly(
                "BELOW='0.49' is invalid: expected a number from 0.5 to 2.0",
                "ABOVE='2.01' is invalid: expected a number from 0.5 to 2.0",
                "NAN='NaN' is invalid: expected a number from 0.5 to 2.0",
                "TEXT='half' is invalid: expected a number from 0.5 to 2.0");
    }

    @Test
    void bool_should_acceptTrueAndFalseInAnyCase_andNothingElse() {
        EnvironmentReader in = reader("YES", "TRUE", "NO", "False", "ONE", "1", "WORD", "yes");

        assertThat(in.bool("YES", false)).isTrue();
        assertThat(in.bool("NO", true)).isFalse();
        assertThat(in.bool("UNSET", true)).isTrue();
        assertThat(in.bool("UNSET", false)).isFalse();
        assertThat(in.bool("ONE", true)).isTrue();
        assertThat(in.bool("WORD", false)).isFalse();
        assertThat(problems(in).problems()).containsExactly("ONE='1' is invalid: expected true or false",
                "WORD='yes' is invalid: expected true or false");
    }

    @Test
    void throwIfProblems_should_listEveryProblemInOneException_inTheOrderFound() {
        EnvironmentReader in = reader();
        in.problem("first");
        in.problem("second");

        assertThatThrownBy(in::throwIfProblems).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly("first", "second"))
                .hasMessage("invalid configuration (2 problems):\n  - first\n  - second");
    }

    @Test
    void configException_should_sayProblemInTheSingular_when_thereIsOne() {
        assertThat(new ConfigException(java.util.List.of("DB_HOST is not set"))).hasMessage(
                "invalid configuration (1 problem):\n  - DB_HOST is not set");
    }
}
