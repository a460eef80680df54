package dev.gantry.engine.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** GBNF in llama.cpp's syntax compiles, matches exactly its language, and bad grammars fail with a place. */
class GrammarTest {

    @Test
    void alternativesSequencesAndLiteralsMatchExactly() {
        Grammar g = Grammar.parse("root ::= \"yes\" | \"no\" | \"maybe\" \" so\"");
        assertThat(g.matches("yes")).isTrue();
        assertThat(g.matches("maybe so")).isTrue();
        assertThat(g.matches("maybe")).isFalse();
        assertThat(g.matchesPrefix("may")).isTrue();
        assertThat(g.matchesPrefix("yess")).isFalse();
    }

    @Test
    void repetitionOperatorsHonourTheirBounds() {
        Grammar g = Grammar.parse("root ::= \"a\"{2,4} \"b\"* \"c\"+ \"d\"? \"e\"{3} \"f\"{2,}");
        assertThat(g.matches("aabccceeeff")).isTrue();
        assertThat(g.matches("aaaabbbbcdeeefff")).isTrue();
        assertThat(g.matches("abceeeff")).as("a{2,4} needs two").isFalse();
        assertThat(g.matches("aaaaabceeeff")).as("a{2,4} takes at most four").isFalse();
        assertThat(g.matches("aaeeeff")).as("c+ needs one").isFalse();
        assertThat(g.matches("aaceeef")).as("f{2,} needs two").isFalse();
        assertThat(Grammar.parse("root ::= [0-9]{,3}").matches("1234")).isFalse();
        assertThat(Grammar.parse("root ::= [0-9]{,3}").matches("")).isTrue();
    }

    @Test
    void characterClassesRangesNegationAndAnyChar() {
        Grammar g = Grammar.parse("root ::= [a-zA-Z_] [a-zA-Z0-9_]* \"=\" [^\\n]* \"\\n\" . ");
        assertThat(g.matches("foo_1=bar baz\nx")).isTrue();
        assertThat(g.matches("1foo=bar\nx")).isFalse();
        assertThat(g.matches("foo=b\nar\nx")).isFalse();
        assertThat(g.matches("foo=\n€")).as("'.' is any code point, multi-byte too").isTrue();
    }

    @Test
    void escapesDecodeToTheirCodePoints() {
        Grammar g = Grammar.parse("root ::= \"\\x41\\u00e9\\U0001F600\\t\\\"\\\\\" [\\x30-\\x39] [\\]]");
        assertThat(g.matches("Aé😀\t\"\\5]")).isTrue();
        assertThat(g.matches("Ae😀\t\"\\5]")).isFalse();
    }

    @Test
    void rulesGroupsAndCommentsAcrossLines() {
        String gbnf = """
                # a tiny arithmetic language
                root ::= expr            # the start
                expr ::= term ( ("+" | "-") term )*
                term ::= [0-9]+
                       | "(" expr ")"
                """;
        Grammar g = Grammar.parse(gbnf);
        assertThat(g.matches("1+(2-30)+4")).isTrue();
        assertThat(g.matches("1+")).isFalse();
        assertThat(g.matches("(1")).isFalse();
    }

    @Test
    void nullableRepetitionsDoNotLoop() {
        Grammar g = Grammar.parse("root ::= (\"a\"?)* \"b\" ws\nws ::= [ ]*");
        assertThat(g.matches("aaab  ")).isTrue();
        assertThat(g.matches("b")).isTrue();
        assertThat(g.matches("ab c")).isFalse();
    }

    @Test
    void anUndefinedRuleNamesItselfAndWhereItIsUsed() {
        assertThatThrownBy(() -> Grammar.parse("root ::= \"a\"\n  item"))
                .isInstanceOf(GrammarException.class)
                .hasMessageContaining("'item' is used but never defined")
                .hasMessageStartingWith("line 2, column 3");
    }

    @Test
    void syntaxErrorsGiveLineAndColumn() {
        assertThatThrownBy(() -> Grammar.parse("root ::= \"abc"))
                .hasMessageContaining("line 1, column 10").hasMessageContaining("not closed");
        assertThatThrownBy(() -> Grammar.parse("root ::= [a-z"))
                .hasMessageContaining("not closed with ']'");
        assertThatThrownBy(() -> Grammar.parse("root ::= (\"a\" | \"b\"\n"))
                .hasMessageContaining("expected ')'");
        assertThatThrownBy(() -> Grammar.parse("root = \"a\""))
                .hasMessageContaining("expected '::='");
        assertThatThrownBy(() -> Grammar.parse("root ::= \"a\"{3,1}"))
                .hasMessageContaining("maximum below its minimum");
        assertThatThrownBy(() -> Grammar.parse("root ::= \"\\q\""))
                .hasMessageContaining("unknown escape");
        assertThatThrownBy(() -> Grammar.parse("root ::= [z-a]"))
                .hasMessageContaining("runs backwards");
    }

    @Test
    void aMissingRootOrATwiceDefinedRuleIsRefused() {
        assertThatThrownBy(() -> Grammar.parse("start ::= \"a\"")).hasMessageContaining("no 'root' rule");
        assertThatThrownBy(() -> Grammar.parse("root ::= \"a\"\nroot ::= \"b\""))
                .hasMessageContaining("defined twice").hasMessageStartingWith("line 2");
        assertThatThrownBy(() -> Grammar.parse("# nothing\n")).hasMessageContaining("no rules");
    }

    @Test
    void leftRecursionIsRefusedWithTheRuleName() {
        assertThatThrownBy(() -> Grammar.parse("root ::= expr\nexpr ::= expr \"+\" [0-9] | [0-9]"))
                .isInstanceOf(GrammarException.class)
                .hasMessageContaining("'expr' is left-recursive").hasMessageStartingWith("line 2, column 1");
        assertThatThrownBy(() -> Grammar.parse("root ::= a\na ::= b? a \"x\" | \"y\"\nb ::= \"b\""))
                .hasMessageContaining("left-recursive");
    }
}
