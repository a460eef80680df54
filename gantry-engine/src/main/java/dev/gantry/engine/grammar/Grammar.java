package dev.gantry.engine.grammar;

import java.nio.charset.StandardCharsets;

/**
 * A compiled grammar: GBNF text (llama.cpp's syntax, {@link GbnfParser}) checked and flattened once per request,
 * from which each sequence gets its own {@link GrammarMatcher}. Immutable and thread-safe.
 */
public final class Grammar {

    private final String source;
    private final GrammarCode code;

    private Grammar(String source, GrammarCode code) {
        this.source = source;
        this.code = code;
    }

    /**
     * Compiles GBNF text starting from its {@code root} rule.
     *
     * @throws GrammarException for a syntax error, an undefined or twice-defined rule, a missing root or left
     *     recursion, with the line and column where it can be placed
     */
    public static Grammar parse(String gbnf) {
        return new Grammar(gbnf, GrammarCompiler.compile(GbnfParser.parse(gbnf), "root"));
    }

    /**
     * The grammar of a JSON Schema ({@link JsonSchemaGrammar}): the schema as parsed JSON ({@code Map},
     * {@code List}, {@code String}, {@code Number}, {@code Boolean}, null).
     *
     * @throws GrammarException naming the keyword when the schema uses one that is not supported
     */
    public static Grammar jsonSchema(Object schema) {
        return parse(JsonSchemaGrammar.gbnf(schema));
    }

    /** Any JSON object (OpenAI's {@code response_format: json_object}). */
    public static Grammar jsonObject() {
        return parse(JsonSchemaGrammar.gbnf(java.util.Map.of("type", "object")));
    }

    /** The GBNF text this grammar was compiled from. */
    public String source() {
        return source;
    }

    /** A fresh matcher at the start of the grammar, masking over {@code vocabulary}. */
    public GrammarMatcher matcher(TokenVocabulary vocabulary) {
        return new GrammarMatcher(code, vocabulary);
    }

    /** Whether the whole of {@code text} matches the grammar (no tokenizer involved). */
    public boolean matches(String text) {
        StackMachine m = new StackMachine(code);
        return m.feed(m.initial(), text.getBytes(StandardCharsets.UTF_8)).accepting;
    }

    /** Whether {@code text} can be continued into a match (it is a prefix of some match). */
    public boolean matchesPrefix(String text) {
        StackMachine m = new StackMachine(code);
        return !m.feed(m.initial(), text.getBytes(StandardCharsets.UTF_8)).isDead();
    }

    /** How many rules the grammar has after repetitions and groups were expanded. */
    public int ruleCount() {
        return code.alternatives().length;
    }

    @Override
    public String toString() {
        return "Grammar(" + ruleCount() + " rules)";
    }
}
