package dev.gantry.engine.chat;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ToolCallParserTest {

    private static final ToolCall WEATHER = new ToolCall("get_weather", "{\"city\":\"Paris\"}", "");

    private static ParsedResponse parse(String output, ToolCallFormat format) {
        return ToolCallParser.parse(output, format, false);
    }

    @Test
    void contentOnlyKeepsTheAnswerAsItIs() {
        assertThat(parse(" <tool_call>{}", ToolCallFormat.CONTENT_ONLY))
                .isEqualTo(new ParsedResponse(" <tool_call>{}", "", List.of()));
    }

    @Test
    void llama3ReadsTheJsonCall() {
        ParsedResponse r = parse("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}",
                ToolCallFormat.LLAMA_3_X);
        assertThat(r.toolCalls()).containsExactly(WEATHER);
        assertThat(r.content()).isEmpty();
    }

    @Test
    void llama3ReadsBuiltinPythonTagCalls() {
        ParsedResponse r = parse("<|python_tag|>brave_search.call(query=\"Paris weather\")",
                ToolCallFormat.LLAMA_3_X_WITH_BUILTIN_TOOLS);
        assertThat(r.toolCalls()).containsExactly(new ToolCall("brave_search", "{\"query\":\"Paris weather\"}", ""));
    }

    @Test
    void llama3LeavesProseAlone() {
        assertThat(parse("It is {sunny} today.", ToolCallFormat.LLAMA_3_X).toolCalls()).isEmpty();
    }

    @Test
    void hermesReadsSeveralTaggedCallsAndKeepsTheProse() {
        ParsedResponse r = parse("Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": "
                + "{\"city\": \"Paris\"}}\n</tool_call>\n<tool_call>{\"name\": \"get_time\", \"arguments\": {}}"
                + "</tool_call>", ToolCallFormat.HERMES_2_PRO);
        assertThat(r.toolCalls()).containsExactly(WEATHER, new ToolCall("get_time", "{}", ""));
        assertThat(r.content()).isEqualTo("Let me check.");
    }

    @Test
    void hermesSplitsReasoningFromTheAnswer() {
        ParsedResponse r = parse("<think>\nThe user wants weather.\n</think>\n\n<tool_call>\n{\"name\": "
                + "\"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>", ToolCallFormat.HERMES_2_PRO);
        assertThat(r.reasoningContent()).isEqualTo("The user wants weather.");
        assertThat(r.toolCalls()).containsExactly(WEATHER);
    }

    @Test
    void reasoningIsReadFromTheStartWhenThePromptLeftTheThinkBlockOpen() {
        ParsedResponse r = ToolCallParser.parse("Hmm, 2+2.\n</think>\n\n4", ToolCallFormat.DEEPSEEK_R1, true);
        assertThat(r.reasoningContent()).isEqualTo("Hmm, 2+2.");
        assertThat(r.content()).isEqualTo("4");
    }

    @Test
    void hermesKeepsABrokenCallAsContent() {
        String output = "<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": </tool_call>";
        ParsedResponse r = parse(output, ToolCallFormat.HERMES_2_PRO);
        assertThat(r.toolCalls()).isEmpty();
        assertThat(r.content()).isEqualTo(output);
    }

    @Test
    void mistralReadsTheCallArrayWithIds() {
        ParsedResponse r = parse("[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}, "
                + "\"id\": \"abcdef123\"}]", ToolCallFormat.MISTRAL_NEMO);
        assertThat(r.toolCalls()).containsExactly(new ToolCall("get_weather", "{\"city\":\"Paris\"}", "abcdef123"));
    }

    @Test
    void fireFunctionReadsTheFunctoolsArray() {
        ParsedResponse r = parse(" functools[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}]",
                ToolCallFormat.FIREFUNCTION_V2);
        assertThat(r.toolCalls()).containsExactly(WEATHER);
    }

    @Test
    void deepSeekR1ReadsFencedCalls() {
        ParsedResponse r = parse("<think>Need weather.</think>\n<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function"
                + "<｜tool▁sep｜>get_weather\n```json\n{\"city\": \"Paris\"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>",
                ToolCallFormat.DEEPSEEK_R1);
        assertThat(r.reasoningContent()).isEqualTo("Need weather.");
        assertThat(r.toolCalls()).containsExactly(WEATHER);
        assertThat(r.content()).isEmpty();
    }

    @Test
    void functionaryV32ReadsCallsAfterContent() {
        ParsedResponse r = parse("all\nChecking.>>>get_weather\n{\"city\": \"Paris\"}", ToolCallFormat.FUNCTIONARY_V3_2);
        assertThat(r.content()).isEqualTo("Checking.");
        assertThat(r.toolCalls()).containsExactly(WEATHER);
        assertThat(parse("all\nHello!", ToolCallFormat.FUNCTIONARY_V3_2))
                .isEqualTo(new ParsedResponse("Hello!", "", List.of()));
    }

    @Test
    void functionaryV32TakesRawPythonCode() {
        ParsedResponse r = parse("python\nprint(1)", ToolCallFormat.FUNCTIONARY_V3_2);
        assertThat(r.toolCalls()).containsExactly(new ToolCall("python", "{\"code\":\"print(1)\"}", ""));
    }

    @Test
    void functionaryV31ReadsFunctionTags() {
        ParsedResponse r = parse("<function=get_weather>{\"city\": \"Paris\"}</function>",
                ToolCallFormat.FUNCTIONARY_V3_1_LLAMA_3_1);
        assertThat(r.toolCalls()).containsExactly(WEATHER);
    }

    @Test
    void commandR7bReadsActionsWithIdsAndResponses() {
        ParsedResponse r = parse("<|START_THINKING|>I will look it up.<|END_THINKING|><|START_ACTION|>[{\"tool_call_id\": "
                + "\"0\", \"tool_name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}]<|END_ACTION|>",
                ToolCallFormat.COMMAND_R7B);
        assertThat(r.reasoningContent()).isEqualTo("I will look it up.");
        assertThat(r.toolCalls()).containsExactly(new ToolCall("get_weather", "{\"city\":\"Paris\"}", "0"));
        assertThat(parse("<|START_RESPONSE|>Hi!<|END_RESPONSE|>", ToolCallFormat.COMMAND_R7B).content())
                .isEqualTo("Hi!");
    }

    @Test
    void genericReadsToolCallsOrAResponse() {
        assertThat(parse("{\"tool_calls\": [{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}, "
                + "\"id\": \"call_1\"}]}", ToolCallFormat.GENERIC).toolCalls())
                .containsExactly(new ToolCall("get_weather", "{\"city\":\"Paris\"}", "call_1"));
        assertThat(parse("{\"tool_call\": {\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}}",
                ToolCallFormat.GENERIC).toolCalls()).containsExactly(WEATHER);
        assertThat(parse("{\"response\": \"Hello\"}", ToolCallFormat.GENERIC).content()).isEqualTo("Hello");
    }

    @Test
    void genericAlsoReadsCommandRPlusActions() {
        ParsedResponse r = parse("Action:\n```json\n[\n    {\n        \"tool_name\": \"get_weather\",\n"
                + "        \"parameters\": {\"city\": \"Paris\"}\n    }\n]```", ToolCallFormat.GENERIC);
        assertThat(r.toolCalls()).containsExactly(WEATHER);
    }

    @Test
    void argumentsWrittenAsAJsonStringAreKeptAsThatText() {
        ParsedResponse r = parse("{\"tool_call\": {\"name\": \"f\", \"arguments\": \"{\\\"a\\\": 1}\"}}",
                ToolCallFormat.GENERIC);
        assertThat(r.toolCalls()).containsExactly(new ToolCall("f", "{\"a\": 1}", ""));
    }
}
