/**
 * Chat prompts: turning an OpenAI-style conversation into the exact prompt text a model was trained on, and
 * (for tool calling) reading tool calls back out of what the model writes.
 *
 * <ul>
 *   <li>{@link dev.gantry.engine.chat.ChatTemplate}: a GGUF {@code tokenizer.chat_template} rendered as plain
 *       Jinja (the interpreter lives in {@code chat.jinja}).</li>
 *   <li>{@link dev.gantry.engine.chat.ChatFormatter}: what llama.cpp's server adds on top, so our prompts are
 *       byte-identical to llama.cpp's: message normalization, per-family variables, polyfills for templates
 *       that lack system/tool support ({@code TemplateCapabilities}, {@code PolyfilledTemplate}), BOS/EOS
 *       trimming. The result names the {@link dev.gantry.engine.chat.ToolCallFormat} to parse the answer
 *       with.</li>
 *   <li>{@link dev.gantry.engine.chat.Json}: the small JSON model the engine uses (it has no JSON library).</li>
 * </ul>
 * Reference: llama.cpp {@code common/chat.cpp} and minja {@code chat-template.hpp} (MIT), build 5601; the golden
 * renderings in {@code ../shared/reference/chat-templates}.
 */
package dev.gantry.engine.chat;
