package dev.gantry.engine.chat;

/**
 * How a model family writes tool calls in its output, decided (as llama.cpp's {@code common/chat.cpp} decides it)
 * from markers in the chat template source. {@link #CONTENT_ONLY} means the prompt had no tools, so the output
 * is plain content.
 */
public enum ToolCallFormat {
    /** No tools in the prompt: the whole output is content. */
    CONTENT_ONLY,
    /** Templates without a native syntax: a JSON object {@code {"tool_calls": [...]}} or {@code {"response": ...}}. */
    GENERIC,
    /** {@code [TOOL_CALLS][{"name": ..., "arguments": {...}, "id": ...}]}. */
    MISTRAL_NEMO,
    /** Llama 3.x: {@code {"name": ..., "parameters": {...}}}. */
    LLAMA_3_X,
    /** Llama 3.x with built-in tools: also {@code <|python_tag|>tool.call(arg=...)}. */
    LLAMA_3_X_WITH_BUILTIN_TOOLS,
    /** DeepSeek R1: {@code <｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>name ```json ...}. */
    DEEPSEEK_R1,
    /** FireFunction v2: {@code functools[{"name": ..., "arguments": {...}}]}. */
    FIREFUNCTION_V2,
    /** Functionary v3.2: {@code >>>name\n{...}}, plain content after {@code >>>all\n}. */
    FUNCTIONARY_V3_2,
    /** Functionary v3.1 (Llama 3.1 based): {@code <function=name>{...}</function>}. */
    FUNCTIONARY_V3_1_LLAMA_3_1,
    /** Hermes 2/3 Pro, Qwen 2.5/3: {@code <tool_call>{"name": ..., "arguments": {...}}</tool_call>}. */
    HERMES_2_PRO,
    /** Command R7B: {@code <|START_ACTION|>[{"tool_call_id", "tool_name", "parameters"}]<|END_ACTION|>}. */
    COMMAND_R7B
}
