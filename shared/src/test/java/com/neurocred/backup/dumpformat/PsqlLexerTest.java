package com.neurocred.backup.dumpformat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lexer byte by byte against what psql 15 does with the same text (src/fe_utils/psqlscan.l): where a
 * backslash is code (a meta-command psql would run), where psql sends a statement, where COPY starts a
 * server statement. Each expectation is psql's; the comments say which rule of psql decides it.
 */
class PsqlLexerTest {

    // ---- comments -------------------------------------------------------------------------------------

    @Test
    void blockComment_should_close_when_itsOpeningStarIsFollowedByTheClosingOne() {
        // "/**/" is an empty comment: the star that opened it cannot also open a nested one.
        assertThat(lex("/**/ \\! x").backslashes).containsExactly(5);
    }

    @Test
    void nestedComment_should_openOnce_when_slashStarIsFollowedByMoreStars() {
        // psql takes "/*" and throws back the rest ("/**" opens one level, not two).
        String text = "/* /** */ */ \\! x";

        assertThat(lex(text).backslashes).containsExactly(text.indexOf('\\'));
    }

    @Test
    void nestedComment_should_stayOpen_when_aSlashFollowsAnInnerClose() {
        // "*//": the inner "*/" closes one level; its slash pairs with nothing, so the outer comment goes on.
        String text = "/* a /* b *// \\! x */ */ SELECT 1;";
        Lexed l = lex(text);

        assertThat(l.backslashes).isEmpty();
        assertThat(l.ends).containsExactly(text.length() - 1);
        assertThat(l.lexer.openConstruct()).isNull();
    }

    @Test
    void slash_should_beAnOperator_when_noStarFollows() {
        String text = "SELECT 4/2; \\! x";

        assertThat(lex(text).backslashes).containsExactly(text.indexOf('\\'));
        assertThat(lex(text).ends).containsExactly(text.indexOf(';'));
    }

    @Test
    void dashOrSlash_should_notPairAcrossAMetaCommandLine() {
        // A meta-command takes the rest of the line: "-" before it and "-" after it are no "--".
        String dashes = "-\\echo x\n-\\! y\n";
        String slashStar = "/\\echo x\n*\\! y\n";

        assertThat(lex(dashes).backslashes).containsExactly(1, dashes.lastIndexOf('\\'));
        assertThat(lex(slashStar).backslashes).containsExactly(1, slashStar.lastIndexOf('\\'));
    }

    @Test
    void closingQuote_should_notPairWithTheByteAfterIt() {
        // "1/'1'*2": the slash and the star are operators on both sides of a string, no comment.
        for (String text : new String[] {"SELECT 1/'1'*2; \\! x", "SELECT 1/\"a\"*2; \\! x", "SELECT 1/$*2; \\! x",
                "SELECT 1/$$a$$*2; \\! x"}) {
            assertThat(lex(text).backslashes).as(text).containsExactly(text.indexOf('\\'));
        }
    }

    // ---- psql's query buffer --------------------------------------------------------------------------

    @Test
    void psqlBufferEmpty_should_beTrue_when_onlyWhitespaceAndLineCommentsFollowASemicolon() {
        for (String text : new String[] {"", " \n\t\r\f", "-- c\n", "--c", "SELECT 1;", "SELECT 1; \n-- c\n"}) {
            assertThat(lex(text).lexer.psqlBufferEmpty()).as(text).isTrue();
        }
    }

    @Test
    void psqlBufferEmpty_should_beFalse_when_anythingPsqlSendsFollows() {
        // psql keeps block comments, operators and parentheses in the statement it collects.
        for (String text : new String[] {"- ", "-\n", "/ ", "/\n", "/* c */", "(", ")", "x", "1", "'a'", "E'a'", "\"a\"",
                "$$a$$", "SELECT 1; ;x", "-\\echo\n", "\"a\";\"b\"", "'a';'b'"}) {
            assertThat(lex(text).lexer.psqlBufferEmpty()).as(text).isFalse();
        }
    }

    @Test
    void semicolon_should_endTheStatement_onlyOutsideParentheses() {
        String open = "SELECT ((1); ";
        String closed = "SELECT ((1)); SELECT 2;";

        assertThat(lex(open).ends).isEmpty();
        assertThat(lex(closed).ends).containsExactly(closed.indexOf(';'), closed.length() - 1);
        assertThat(lex(") ;").ends).containsExactly(2);
    }

    // ---- dollar quotes --------------------------------------------------------------------------------

    @Test
    void dollarBody_should_endOnlyAtItsWholeTag() {
        String text = "$$ $ \\! x $$; $fn$ $f$ $fn \\! y $fn$; \\! z";
        Lexed l = lex(text);

        assertThat(l.backslashes).containsExactly(text.indexOf("\\! z"));
        assertThat(l.ends).containsExactly(text.indexOf(';'), text.lastIndexOf(';'));
    }

    @Test
    void dollarTag_should_takeLettersUnderscoresDigitsAndNonAscii() {
        for (String tag : new String[] {"$a$", "$z$", "$A$", "$Z$", "$_$", "$a0$", "$a9$", "$é$", "$Ā$"}) {
            String text = "SELECT " + tag + " \\! x " + tag + "; \\! y";

            assertThat(lex(text).backslashes).as(tag).containsExactly(bytes(text.substring(0, text.indexOf("\\! y"))));
        }
    }

    @Test
    void dollarSign_should_openNoBody_when_aDigitOrOtherByteFollows() {
        // "$1" is a parameter; a "$" before a character that cannot start a tag is a lone "$".
        for (String text : new String[] {"SELECT $1 \\! x", "SELECT $@ \\! x", "SELECT $( \\! x", "SELECT $` \\! x",
                "SELECT $[ \\! x", "SELECT ${ \\! x", "SELECT $: \\! x", "SELECT $/ \\! x"}) {
            assertThat(lex(text).backslashes).as(text).containsExactly(text.indexOf('\\'));
        }
    }

    @Test
    void dollarAfterParameter_should_beAmbiguous_and_openNoBody() {
        // "$1$": psql 15 reads the parameter $1 and a lone "$"; what follows is code.
        Lexed l = lex("$1$ \\! x");

        assertThat(l.ambiguous).containsExactly(2);
        assertThat(l.backslashes).containsExactly(4);
    }

    @Test
    void failedDollarTag_should_beLexedAgain_when_itsLettersStartAnEscapeString() {
        // psql keeps only the "$" of "$e" (no closing "$") and lexes "e'" again: an E'' string, in which \'
        // is a quote. The backslash after it is code to psql, so it must be code here.
        String text = "SELECT $e'\\' ' \\! touch /tmp/pwned '";

        assertThat(lex(text).backslashes).containsExactly(text.indexOf("\\!"));
    }

    @Test
    void failedDollarTag_should_beLexedAgain_when_itsLettersAreAKeyword() {
        // "$begin" is a "$" and the identifier BEGIN to psql: in a CREATE FUNCTION it opens a body.
        String text = "CREATE FUNCTION f() $begin; SELECT 1; END;";

        assertThat(lex(text).ends).containsExactly(text.length() - 1);
        assertThat(lex("SELECT 1;$copy ").copies).containsExactly(14);
    }

    // ---- strings --------------------------------------------------------------------------------------

    @Test
    void escapeString_should_escapeQuotes_when_aLoneEOfEitherCaseStartsIt() {
        for (String text : new String[] {"E'\\'' \\! x'", "e'\\'' \\! x'", "SELECT \"a\"e'\\'' \\! x'", "'a'e'\\'' \\! x'",
                "E'a''\\'' \\! x'"}) {
            assertThat(lex(text).backslashes).as(text).containsExactly(text.indexOf("\\!"));
        }
    }

    @Test
    void plainString_should_notEscape_when_ItsPrefixIsNoLoneE() {
        // xe'...' is the identifier xe and a standard string; U&'...' and N'...' are standard strings too.
        for (String text : new String[] {"xe'\\'' \\! x'", "SELECT 'a''\\'' \\! x'", "SELECT U&'\\'' \\! x'",
                "SELECT N'\\'' \\! x'", "SELECT B'0''\\! x'"}) {
            assertThat(lex(text).backslashes).as(text).isEmpty();
        }
        assertThat(lex("SELECT U&'\\' \\! x").backslashes).containsExactly(13);
        assertThat(lex("SELECT U&\"\\\" \\! x").backslashes).containsExactly(13);
    }

    @Test
    void eAfterNumber_should_beAmbiguous() {
        // "1e'" is a number and a string to psql 15, a number and an E'' string to older psql.
        for (String text : new String[] {"SELECT 1e'x'", "SELECT 0e'x'", "SELECT 9e'x'", "SELECT 12E'x'"}) {
            assertThat(lex(text).ambiguous).as(text).containsExactly(text.indexOf('\''));
        }
        for (String text : new String[] {"SELECT 1'x'", "SELECT e'x'", "SELECT xe'x'", "SELECT 1 e'x'"}) {
            assertThat(lex(text).ambiguous).as(text).isEmpty();
        }
        assertThat(lex("SELECT 1$a$").ambiguous).containsExactly(8, 10);
    }

    @Test
    void stringContinuation_should_keepTheEscapeKind_when_aCarriageReturnSeparatesTheParts() {
        // SQL joins 'a' and 'b' separated by whitespace with a newline (and -- comments) into one literal; psql
        // reads line by line, so within a line only a carriage return can be that newline.
        for (String gap : new String[] {"\r", " \r ", " -- c\r", "--c\r", "\r-- c\r", "\r\r"}) {
            String text = "E'a'" + gap + "'\\'' \\! x'";
            Lexed l = lex(text);

            assertThat(l.backslashes).as(gap).containsExactly(text.indexOf("\\!"));
            assertThat(l.ambiguous).as(gap).isEmpty();
        }
    }

    @Test
    void escapeStringContinuation_should_beAmbiguous_when_aLineFeedSeparatesTheParts() {
        // The server joins E'a' and '\' across a line feed into one E'' string; psql 15 continues only after a
        // line feed straight after the quote and a carriage return, older psql never: where '\' ends differs.
        for (String gap : new String[] {"\n", " \n ", " -- c\n", "--c\n", "\n-- c\n", "\n\n", "\r\n", "\n\r"}) {
            String text = "E'a'" + gap + "'\\' \\! x\n'";

            assertThat(lex(text).ambiguous).as(gap).containsExactly(text.lastIndexOf("'\\'"));
        }
        // A standard string ends in the same place either way: no ambiguity.
        assertThat(lex("'a'\n'\\' \\! x\n'").ambiguous).isEmpty();
        assertThat(lex("'a'\n'\\' \\! x\n'").backslashes).containsExactly(8);
    }

    @Test
    void stringContinuation_should_notHappen_when_theGapHasNoNewlineOrACode() {
        for (String gap : new String[] {" ", "\t", " - ", "\n- ", " -\n", "\n/* c */\n", "-"}) {
            String text = "E'a'" + gap + "'\\'' \\! x '";

            assertThat(lex(text).backslashes).as(gap).isEmpty();
        }
    }

    @Test
    void quoteGap_should_endInCode_when_aBackslashOrCommentFollows() {
        assertThat(lex("'a'\\! x").backslashes).containsExactly(3);
        assertThat(lex("'a' - \\! x").backslashes).containsExactly(6);
        assertThat(lex("'a' -\\! x").backslashes).containsExactly(5);
        assertThat(lex("'a' -- c\n\\! x").backslashes).containsExactly(9);
        assertThat(lex("'a'--\\! x").backslashes).isEmpty();
        assertThat(lex("'a'/* \\! x */").backslashes).isEmpty();
    }

    @Test
    void plainString_should_takeDoubledQuotesAndBackslashesAsText() {
        String text = "SELECT 'it''s \\', '\\\\'; \\! x";
        Lexed l = lex(text);

        assertThat(l.backslashes).containsExactly(text.indexOf("\\!"));
        assertThat(l.ends).containsExactly(text.indexOf(';'));
    }

    // ---- quoted identifiers ---------------------------------------------------------------------------

    @Test
    void quotedIdentifier_should_endAtASingleQuote_and_continueAtADoubledOne() {
        assertThat(lex("\"a\"\\! x").backslashes).containsExactly(3);
        assertThat(lex("\"a\"\" \\! x\" ;").ends).containsExactly(11);
        assertThat(lex("\"a\"\" \\! x\"").backslashes).isEmpty();
        assertThat(lex("\"a\";").ends).containsExactly(3);
    }

    // ---- where the text is ----------------------------------------------------------------------------

    @Test
    void isOutsideQuotes_should_beFalse_insideEachConstruct() {
        for (String text : new String[] {"'a", "E'a", "E'a\\'", "\"a", "$$a", "$a", "$a$b", "/* a", "/* /* */"}) {
            assertThat(lex(text).lexer.isOutsideQuotes()).as(text).isFalse();
        }
        for (String text : new String[] {"", "a", "'a'", "'a' ", "'a'\n", "'a' -", "\"a\"", "$$a$$", "/* a */", "-- a",
                "\\x", "$1"}) {
            assertThat(lex(text).lexer.isOutsideQuotes()).as(text).isTrue();
        }
    }

    @Test
    void openConstruct_should_nameWhatTheTextIsLeftInside() {
        assertThat(lex("'a").lexer.openConstruct()).isEqualTo("a string literal");
        assertThat(lex("E'a").lexer.openConstruct()).isEqualTo("a string literal");
        assertThat(lex("\"a").lexer.openConstruct()).isEqualTo("a quoted identifier");
        assertThat(lex("$q$ a").lexer.openConstruct()).isEqualTo("a dollar-quoted body ($q$)");
        assertThat(lex("$q").lexer.openConstruct()).isEqualTo("a dollar-quoted body ($q)");
        assertThat(lex("/* a").lexer.openConstruct()).isEqualTo("a block comment");
        assertThat(lex("'a' -- b").lexer.openConstruct()).isNull();
    }

    // ---- SQL-standard function bodies -----------------------------------------------------------------

    @Test
    void beginAtomic_should_holdSemicolons_when_theStatementCreatesAFunctionOrProcedure() {
        for (String head : new String[] {"CREATE FUNCTION f() RETURNS int LANGUAGE sql", "CREATE PROCEDURE p()",
                "create or replace function f() returns int", "CREATE OR REPLACE PROCEDURE p()"}) {
            String text = head + " BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; SELECT 3;";

            assertThat(lex(text).ends).as(head).containsExactly(text.lastIndexOf("END;") + 3, text.length() - 1);
        }
    }

    @Test
    void begin_should_notHoldSemicolons_when_theStatementCreatesNoRoutine() {
        // Only CREATE [OR REPLACE] FUNCTION|PROCEDURE starts the heuristic; anything else ends at ";".
        for (String text : new String[] {"CREATE OR REPLACE VIEW v AS SELECT 1 AS begin; SELECT 2;",
                "CREATE OR FUNCTION FUNCTION begin; SELECT 2;", "REPLACE FUNCTION begin; SELECT 2;",
                "CREATE TABLE begin (a int); SELECT 2;", "CREATE PROCEDUREX p() begin; SELECT 2;",
                "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql RETURN 1; SELECT 2;",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN CASE WHEN true THEN 1 END; SELECT 2;",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1; SELECT 1 AS begin; SELECT 2;"}) {
            Lexed l = lex(text);

            assertThat(l.ends).as(text).endsWith(text.indexOf("; SELECT 2;"), text.length() - 1);
        }
    }

    @Test
    void leadingKeywords_should_countOnlyTheFirstFourIdentifiers() {
        String text = "SELECT a, b, c, replace(x, create, or); SELECT 1;";

        assertThat(lex(text).ends).containsExactly(text.indexOf(';'), text.length() - 1);
    }

    // ---- COPY -----------------------------------------------------------------------------------------

    @Test
    void copyToken_should_markTheEndOfCopy_when_itStartsAServerStatement() {
        assertThat(lex("COPY t FROM stdin;").copies).containsExactly(4);
        assertThat(lex("copy'x'").copies).containsExactly(4);
        assertThat(lex("SELECT 1;COPY(").copies).containsExactly(13);
        assertThat(lex("SELECT copy;").copies).isEmpty();
        assertThat(lex("SELECT \"a\";copy\"b\"").copies).containsExactly(15);
        assertThat(lex("COPYING t;").copies).isEmpty();
    }

    private record Lexed(List<Integer> backslashes, List<Integer> ends, List<Integer> copies, List<Integer> ambiguous,
                         PsqlLexer lexer) {
    }

    /** Lexes the text's UTF-8 bytes; the lists hold the byte offsets at which each flag was raised. */
    static Lexed lex(String text) {
        PsqlLexer lexer = new PsqlLexer();
        List<Integer> backslashes = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        List<Integer> copies = new ArrayList<>();
        List<Integer> ambiguous = new ArrayList<>();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            lexer.accept(b[i]);
            if (lexer.codeBackslash()) {
                backslashes.add(i);
            }
            if (lexer.terminated()) {
                ends.add(i);
            }
            if (lexer.copyToken()) {
                copies.add(i);
            }
            if (lexer.ambiguous()) {
                ambiguous.add(i);
            }
        }
        return new Lexed(backslashes, ends, copies, ambiguous, lexer);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
