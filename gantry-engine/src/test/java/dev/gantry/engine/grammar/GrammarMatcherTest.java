package dev.gantry.engine.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.support.SharedData;
import dev.gantry.engine.tokenizer.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token masks over real vocabularies: exactly the tokens whose bytes keep the text a prefix of the grammar,
 * end-of-generation only where the grammar can end, characters split over byte tokens, and the time a mask takes
 * on a 32k vocabulary (printed, not asserted).
 */
class GrammarMatcherTest {

    private static final String SCHEMA = """
            {"type":"object","properties":{"name":{"type":"string","maxLength":12},"age":{"type":"integer","minimum":0,"maximum":120},
             "pets":{"type":"array","items":{"enum":["cat","dog"]},"maxItems":3},"city":{"type":["string","null"]}},
             "required":["name","age"]}""";

    private static Tokenizer stories;
    private static TokenVocabulary storiesVocabulary;

    @BeforeAll
    static void open() {
        stories = tokenizer("models/stories260K.gguf");
        storiesVocabulary = TokenVocabulary.of(stories);
    }

    static Tokenizer tokenizer(String path) {
        try (GgufFile file = GgufFile.open(SharedData.resolve(path))) {
            return Tokenizer.from(file.metadata());
        }
    }

    /** The mask by brute force: every token's bytes fed from the matcher's state on their own. */
    private static BitSet bruteForce(Grammar grammar, byte[] prefix, Tokenizer tokenizer, TokenVocabulary vocabulary) {
        StackMachine m = new StackMachine(GrammarCompiler.compile(GbnfParser.parse(grammar.source()), "root"));
        MatchState at = m.feed(m.initial(), prefix);
        BitSet allowed = new BitSet();
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            byte[] b = tokenizer.tokenBytes(id);
            if (vocabulary.isEndOfGeneration(id)) {
                if (at.accepting) {
                    allowed.set(id);
                }
            } else if (b.length > 0 && !m.feed(at, b).isDead()) {
                allowed.set(id);
            }
        }
        return allowed;
    }

    @Test
    void theTrieMaskEqualsTheBruteForceMaskAlongRandomWalks() {
        Grammar grammar = Grammar.jsonSchema(JsonSchemaGrammarTest.schema(SCHEMA));
        Random random = new Random(5);
        for (int walk = 0; walk < 6; walk++) {
            GrammarMatcher matcher = grammar.matcher(storiesVocabulary);
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            for (int step = 0; step < 40 && !matcher.isComplete(); step++) {
                BitSet mask = matcher.allowed();
                assertThat(mask).as("walk %d step %d after %s", walk, step, text).isEqualTo(bruteForce(grammar, text.toByteArray(), stories, storiesVocabulary));
                int token = pick(mask, random);
                matcher.accept(token);
                text.writeBytes(stories.tokenBytes(token));
            }
        }
    }

    private static int pick(BitSet mask, Random random) {
        int n = random.nextInt(mask.cardinality());
        int t = mask.nextSetBit(0);
        for (int i = 0; i < n; i++) {
            t = mask.nextSetBit(t + 1);
        }
        return t;
    }

    @Test
    void randomWalksThatCompleteAreValidJsonOfTheSchema() throws Exception {
        Grammar grammar = Grammar.jsonSchema(JsonSchemaGrammarTest.schema(SCHEMA));
        ObjectMapper json = new ObjectMapper();
        Random random = new Random(9);
        int completed = 0;
        for (int walk = 0; walk < 200; walk++) {
            GrammarMatcher matcher = grammar.matcher(storiesVocabulary);
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            for (int step = 0; step < 300 && !matcher.isComplete(); step++) {
                BitSet mask = matcher.allowed();
                // Lean towards short tokens ending strings, so many walks finish.
                int token = pick(mask, random);
                matcher.accept(token);
                text.writeBytes(stories.tokenBytes(token));
            }
            if (matcher.isComplete()) {
                completed++;
                String s = text.toString(StandardCharsets.UTF_8);
                var node = json.readTree(s);
                assertThat(node.get("name").isTextual()).as(s).isTrue();
                assertThat(node.get("name").textValue().codePointCount(0, node.get("name").textValue().length())).as(s).isLessThanOrEqualTo(12);
                assertThat(node.get("age").asInt()).as(s).isBetween(0, 120);
                assertThat(node.size()).as(s).isLessThanOrEqualTo(4);
            }
        }
        assertThat(completed).as("walks that completed").isPositive();
    }

    @Test
    void endOfGenerationIsAllowedOnlyWhereTheGrammarCanEnd() {
        Grammar grammar = Grammar.parse("root ::= [a-z]+");
        GrammarMatcher matcher = grammar.matcher(storiesVocabulary);
        int eos = stories.eosId();
        assertThat(matcher.allowed().get(eos)).isFalse();
        matcher.accept(lowercaseWord());
        assertThat(matcher.canEnd()).isTrue();
        assertThat(matcher.allowed().get(eos)).isTrue();
        assertThat(matcher.isComplete()).as("more letters may follow").isFalse();
        matcher.accept(eos);
        assertThat(matcher.isComplete()).isTrue();
        assertThat(matcher.accepted()).isEqualTo(2);
        matcher.reset();
        assertThat(matcher.accepted()).isZero();
        assertThat(matcher.allowed().get(eos)).isFalse();
    }

    /** A token that is a bare lowercase word (no leading space). */
    private static int lowercaseWord() {
        for (int id = 0; id < stories.vocabSize(); id++) {
            String piece = stories.piece(id);
            if (piece.length() > 1 && piece.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
                return id;
            }
        }
        throw new AssertionError("no lowercase word piece");
    }

    @Test
    void aTokenOutsideTheMaskIsRefused() {
        GrammarMatcher matcher = Grammar.parse("root ::= \"x\"").matcher(storiesVocabulary);
        int y = stories.encode("y", false, false)[stories.encode("y", false, false).length - 1];
        assertThatThrownBy(() -> matcher.accept(y)).hasMessageContaining("not allowed");
    }

    @Test
    void aCharacterSplitOverByteTokensIsFollowed() {
        GrammarMatcher matcher = Grammar.parse("root ::= \"é!\"").matcher(storiesVocabulary);
        int c3 = stories.id("<0xC3>");
        int c4 = stories.id("<0xC4>");
        int a9 = stories.id("<0xA9>");
        assertThat(c3).isPositive();
        assertThat(matcher.allowed().get(c3)).as("the lead byte of é").isTrue();
        assertThat(matcher.allowed().get(c4)).as("a lead byte of other characters").isFalse();
        matcher.accept(c3);
        assertThat(matcher.allowed().cardinality()).as("only the continuation byte").isEqualTo(1);
        matcher.accept(a9);
        int bang = stories.id("!") >= 0 ? stories.id("!") : stories.id("<0x21>");
        assertThat(matcher.allowed().get(bang)).isTrue();
        matcher.accept(bang);
        assertThat(matcher.isComplete()).as("nothing can follow").isTrue();
    }

    @Test
    void controlTokensAreNeverAllowed() {
        GrammarMatcher matcher = Grammar.parse("root ::= .*").matcher(storiesVocabulary);
        BitSet mask = matcher.allowed();
        for (int id = 0; id < stories.vocabSize(); id++) {
            if (stories.tokenType(id) == Tokenizer.TYPE_CONTROL && !storiesVocabulary.isEndOfGeneration(id)) {
                assertThat(mask.get(id)).as("control token %d", id).isFalse();
            }
        }
        assertThat(mask.get(stories.bosId())).isFalse();
    }

    @Test
    void maskTimeOnA32kVocabulary() {
        Tokenizer llama = tokenizer("models/vocab/ggml-vocab-llama-spm.gguf");
        long t0 = System.nanoTime();
        TokenVocabulary vocabulary = TokenVocabulary.of(llama);
        long built = System.nanoTime() - t0;
        Grammar grammar = Grammar.jsonSchema(JsonSchemaGrammarTest.schema(SCHEMA));
        Random random = new Random(1);
        long cached = 0;
        long walked = 0;
        int steps = 0;
        for (int walk = 0; walk < 30; walk++) {
            GrammarMatcher matcher = grammar.matcher(vocabulary);
            for (int step = 0; step < 40 && !matcher.isComplete(); step++) {
                long a = System.nanoTime();
                BitSet mask = matcher.allowed();
                long b = System.nanoTime();
                BitSet again = matcher.walk();
                long c = System.nanoTime();
                assertThat(again).isEqualTo(mask);
                if (walk >= 10) { // the first walks warm up the JIT
                    cached += b - a;
                    walked += c - b;
                    steps++;
                }
                matcher.accept(pick(mask, random));
            }
        }
        System.out.printf("grammar mask, %d-token vocabulary (%d trie nodes, built in %.1f ms), random walks through a"
                        + " JSON schema: %.3f ms per step as served (memo and mask cache), %.3f ms per full trie walk;"
                        + " %d steps%n", vocabulary.size(), vocabulary.nodes(), built / 1e6, cached / 1e6 / steps,
                walked / 1e6 / steps, steps);
        assertThat(steps).isPositive();
    }
}
