/**
 * The OpenAI-compatible API: request reading with strict types ({@link dev.gantry.server.openai.JsonRequest},
 * {@link dev.gantry.server.openai.GenerationOptions}), the handlers for {@code /v1/models},
 * {@code /v1/completions}, {@code /v1/chat/completions} and {@code /v1/embeddings}, the wire records they answer with, stop strings,
 * server-sent events, and the mapping of every failure to an OpenAI error body
 * ({@code {"error": {"message", "type", "param", "code"}}}). Reference: the OpenAI API reference (Completions,
 * Chat Completions, Embeddings, streaming and error codes) and llama.cpp's {@code tools/server}.
 */
package dev.gantry.server.openai;
