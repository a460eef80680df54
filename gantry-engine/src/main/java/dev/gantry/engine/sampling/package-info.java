/**
 * Choosing the next token from logits: {@link dev.gantry.engine.sampling.SamplingParams} (validated settings),
 * {@link dev.gantry.engine.sampling.Sampler} (one per sequence: llama.cpp's default chain of logit bias, penalties,
 * top-k, top-p, min-p and temperature, then a seeded draw), {@link dev.gantry.engine.sampling.TokenMask} and
 * {@link dev.gantry.engine.sampling.TokenConstraint} (the seam for grammar-constrained decoding: a per-sequence mask
 * that follows the chosen tokens) and {@link dev.gantry.engine.sampling.Logprobs} (log-softmax of raw logits for
 * scoring and OpenAI {@code logprobs}). Imports nothing else from the engine.
 */
package dev.gantry.engine.sampling;
