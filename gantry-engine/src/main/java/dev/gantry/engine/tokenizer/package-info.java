/**
 * Tokenizers built from a GGUF file's {@code tokenizer.ggml.*} metadata, behaving like llama.cpp's
 * {@code llama-vocab.cpp} (token ids must match llama.cpp's for the same text).
 *
 * <p>The package owns: {@link dev.gantry.engine.tokenizer.Tokenizer} (the API), the three kinds of tokenizer
 * ({@code llama} = {@link dev.gantry.engine.tokenizer.SentencePieceBpe}, {@code gpt2} =
 * {@link dev.gantry.engine.tokenizer.ByteLevelBpe}, {@code bert} = {@link dev.gantry.engine.tokenizer.WordPiece}),
 * the pre-tokenizer regex sets that {@code tokenizer.ggml.pre} names, special-token matching, and detokenization.
 * It reads metadata only; it never looks at tensors.
 */
package dev.gantry.engine.tokenizer;
