package dev.gantry.server.openai;

import dev.gantry.engine.chat.ToolCallFormat;
import dev.gantry.engine.grammar.Grammar;
import dev.gantry.engine.grammar.GrammarException;
import dev.gantry.engine.grammar.JsonSchemaGrammar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The grammar of a forced tool call ({@code tool_choice} {@code required} or a named function): exactly one call in
 * the syntax the model family writes ({@link ToolCallFormat}, the same one {@code ToolCallParser} reads back), to
 * one of the given functions, its arguments constrained by the function's {@code parameters} JSON schema. The
 * syntaxes are those of llama.cpp's {@code common/chat.cpp} grammars.
 */
final class ToolCallGrammar {

    private ToolCallGrammar() {
    }

    /**
     * @param tools              the OpenAI tools the call may choose from (one for a named function)
     * @param thinkingForcedOpen the prompt ends inside a reasoning block, which the grammar closes first
     */
    static Grammar forced(ToolCallFormat format, boolean thinkingForcedOpen, List<Map<String, Object>> tools) {
        JsonSchemaGrammar g = new JsonSchemaGrammar();
        String space = g.primitive("space");
        List<String> calls = new ArrayList<>();
        for (Map<String, Object> tool : tools) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fn = (Map<String, Object>) tool.get("function");
            String name = (String) fn.get("name");
            Object parameters = fn.get("parameters") == null ? Map.of("type", "object") : fn.get("parameters");
            String args;
            try {
                args = g.schema(name + "-args", parameters);
            } catch (GrammarException e) {
                throw ApiException.invalid("the parameters schema of tool '" + name + "' cannot be used: " + e.getMessage(), "tools");
            }
            calls.add(g.rule(sanitize("call-" + name), call(format, name, args, space)));
        }
        String call = g.rule("call", String.join(" | ", calls));
        String root = switch (format) {
            case HERMES_2_PRO -> think(thinkingForcedOpen, "</think>") + "\"<tool_call>\\n\" " + call + " \"\\n</tool_call>\"";
            case GENERIC -> "\"{\" " + space + " \"\\\"tool_call\\\"\" " + space + " \":\" " + space + " " + call + " " + space + " \"}\"";
            case MISTRAL_NEMO -> "\"[TOOL_CALLS]\" \"[\" " + call + " \"]\"";
            case FIREFUNCTION_V2 -> "\" functools[\" " + call + " \"]\"";
            case COMMAND_R7B -> think(thinkingForcedOpen, "<|END_THINKING|>") + "\"<|START_ACTION|>[\" " + call + " \"]<|END_ACTION|>\"";
            case DEEPSEEK_R1 -> think(thinkingForcedOpen, "</think>") + "\"<｜tool▁calls▁begin｜>\" " + call + " \"<｜tool▁calls▁end｜>\"";
            case LLAMA_3_X, LLAMA_3_X_WITH_BUILTIN_TOOLS, FUNCTIONARY_V3_2, FUNCTIONARY_V3_1_LLAMA_3_1 -> call;
            case CONTENT_ONLY -> throw new IllegalStateException("a forced tool call needs tools in the prompt");
        };
        g.rule("root", root);
        return Grammar.parse(g.gbnf());
    }

    /** One call to function {@code name} whose arguments match rule {@code args}. */
    private static String call(ToolCallFormat format, String name, String args, String space) {
        String quoted = JsonSchemaGrammar.literal(JsonSchemaGrammar.json(name));
        String colon = " " + space + " \":\" " + space + " ";
        String comma = " " + space + " \",\" " + space + " ";
        return switch (format) {
            case LLAMA_3_X, LLAMA_3_X_WITH_BUILTIN_TOOLS ->
                    "\"{\" " + space + " \"\\\"name\\\"\"" + colon + quoted + comma + "\"\\\"parameters\\\"\"" + colon + args + " " + space + " \"}\"";
            case MISTRAL_NEMO ->
                    "\"{\" " + space + " \"\\\"name\\\"\"" + colon + quoted + comma + "\"\\\"arguments\\\"\"" + colon + args
                            + comma + "\"\\\"id\\\"\"" + colon + "\"\\\"\" [a-zA-Z0-9]{9} \"\\\"\" " + space + " \"}\"";
            case COMMAND_R7B ->
                    "\"{\" " + space + " \"\\\"tool_call_id\\\"\"" + colon + "\"\\\"0\\\"\"" + comma + "\"\\\"tool_name\\\"\"" + colon + quoted
                            + comma + "\"\\\"parameters\\\"\"" + colon + args + " " + space + " \"}\"";
            case FUNCTIONARY_V3_2 -> JsonSchemaGrammar.literal(name + "\n") + " " + args;
            case FUNCTIONARY_V3_1_LLAMA_3_1 -> JsonSchemaGrammar.literal("<function=" + name + ">") + " " + args + " \"</function>\"";
            case DEEPSEEK_R1 -> JsonSchemaGrammar.literal("<｜tool▁call▁begin｜>function<｜tool▁sep｜>" + name + "\n```json\n")
                    + " " + args + " \"\\n```<｜tool▁call▁end｜>\"";
            default -> "\"{\" " + space + " \"\\\"name\\\"\"" + colon + quoted + comma + "\"\\\"arguments\\\"\"" + colon + args + " " + space + " \"}\"";
        };
    }

    private static String think(boolean forcedOpen, String close) {
        return forcedOpen ? JsonSchemaGrammar.literal(close + "\n\n") + " " : "";
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9-]+", "-");
    }
}
