package dev.gantry.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.chat.ParsedResponse;
import dev.gantry.engine.chat.ToolCallFormat;
import dev.gantry.engine.chat.ToolCallParser;
import dev.gantry.engine.grammar.Grammar;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each family's forced-call grammar accepts the call as that family writes it, and the parser reads it back. */
class ToolCallGrammarTest {

    private static final Map<String, Object> WEATHER = Map.of("type", "function", "function", Map.of("name", "get_weather",
            "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"))));
    private static final Map<String, Object> TIME = Map.of("type", "function", "function", Map.of("name", "get_time"));

    private static void roundTrip(ToolCallFormat format, boolean thinking, String text) {
        Grammar g = ToolCallGrammar.forced(format, thinking, List.of(WEATHER, TIME));
        assertThat(g.matches(text)).as("%s accepts %s", format, text).isTrue();
        ParsedResponse parsed = ToolCallParser.parse(text, format, thinking);
        assertThat(parsed.toolCalls()).as(format.name()).hasSize(1);
        assertThat(parsed.toolCalls().getFirst().name()).isEqualTo("get_weather");
        assertThat(parsed.toolCalls().getFirst().arguments().replace(" ", "")).isEqualTo("{\"city\":\"Paris\"}");
    }

    @Test
    void everyFamilysCallMatchesItsGrammarAndParsesBack() {
        String args = "{\"city\": \"Paris\"}";
        roundTrip(ToolCallFormat.HERMES_2_PRO, false, "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": " + args + "}\n</tool_call>");
        roundTrip(ToolCallFormat.HERMES_2_PRO, true, "</think>\n\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": " + args + "}\n</tool_call>");
        roundTrip(ToolCallFormat.GENERIC, false, "{\"tool_call\": {\"name\": \"get_weather\", \"arguments\": " + args + "}}");
        roundTrip(ToolCallFormat.MISTRAL_NEMO, false, "[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": " + args + ", \"id\": \"abc123XYZ\"}]");
        roundTrip(ToolCallFormat.LLAMA_3_X, false, "{\"name\": \"get_weather\", \"parameters\": " + args + "}");
        roundTrip(ToolCallFormat.FIREFUNCTION_V2, false, " functools[{\"name\": \"get_weather\", \"arguments\": " + args + "}]");
        roundTrip(ToolCallFormat.FUNCTIONARY_V3_2, false, "get_weather\n" + args);
        roundTrip(ToolCallFormat.FUNCTIONARY_V3_1_LLAMA_3_1, false, "<function=get_weather>" + args + "</function>");
        roundTrip(ToolCallFormat.COMMAND_R7B, false, "<|START_ACTION|>[{\"tool_call_id\": \"0\", \"tool_name\": \"get_weather\", \"parameters\": " + args + "}]<|END_ACTION|>");
        roundTrip(ToolCallFormat.DEEPSEEK_R1, false, "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n" + args
                + "\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>");
    }

    @Test
    void theArgumentsFollowTheParametersSchemaAndTheNameIsOneOfTheTools() {
        Grammar g = ToolCallGrammar.forced(ToolCallFormat.HERMES_2_PRO, false, List.of(WEATHER));
        assertThat(g.matches("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {}}\n</tool_call>")).as("city is required").isFalse();
        assertThat(g.matches("<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>")).as("only the named tool").isFalse();
        Grammar both = ToolCallGrammar.forced(ToolCallFormat.HERMES_2_PRO, false, List.of(WEATHER, TIME));
        assertThat(both.matches("<tool_call>\n{\"name\": \"get_time\", \"arguments\": {\"any\": [1]}}\n</tool_call>")).isTrue();
    }
}
