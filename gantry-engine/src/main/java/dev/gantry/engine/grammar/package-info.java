/**
 * Grammar-constrained decoding: which tokens may come next so the output matches a grammar.
 *
 * <ul>
 *   <li>{@link dev.gantry.engine.grammar.Grammar}: GBNF text (llama.cpp's syntax) parsed, checked (undefined rules,
 *       left recursion) and flattened once per request; {@code Grammar.jsonSchema} and {@code Grammar.jsonObject}
 *       go through {@link dev.gantry.engine.grammar.JsonSchemaGrammar}, which turns JSON Schema into GBNF.</li>
 *   <li>{@link dev.gantry.engine.grammar.GrammarMatcher}: one sequence's pushdown matcher (a set of stacks, as
 *       llama.cpp's llama-grammar), advanced byte by byte so tokens may end inside a UTF-8 character; it is the
 *       {@link dev.gantry.engine.sampling.TokenConstraint} the runner applies before sampling.</li>
 *   <li>{@link dev.gantry.engine.grammar.TokenVocabulary}: the vocabulary's decoded bytes as a trie, so a mask
 *       matches each shared prefix once.</li>
 * </ul>
 * Imports only {@code engine.sampling} and {@code engine.tokenizer}. Reference: llama.cpp {@code grammars/README.md},
 * {@code src/llama-grammar.cpp}, {@code common/json-schema-to-grammar.cpp} (MIT), read for behaviour, not copied.
 */
package dev.gantry.engine.grammar;
