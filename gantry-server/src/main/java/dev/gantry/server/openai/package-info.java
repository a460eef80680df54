/**
 * The OpenAI-compatible API: request reading with strict types ({@link dev.gantry.server.openai.JsonRequest},
 * {@link dev.gantry.server.openai.GenerationOptions}), the handlers for {@code /v1/models},
 * {@code /v1/completions}, {@code /v1/chat/completions} and {@code /v1/embeddings}, the wire records they answer
 * with, stop strings, server-sent events, structured output and forced tool calls by grammar
 * ({@code OutputConstraint}, {@code ToolCallGrammar}), streamed {@code tool_calls} deltas ({@code ToolCallStream}),
 * and the mapping of every failure to an OpenAI error body
 * ({@code {"error": {"message", "type", "param", "code"}}}). Reference: the OpenAI API reference (Completions,
 * Chat Completions, Embeddings, streaming and error codes) and llama.cpp's {@code tools/server}.
 */
package dev.gantry.server.openai;
