package dev.gantry.engine.chat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tool call in each reference conversation, as the family's own template renders it in llama.cpp's prompt,
 * parses back into the same call: the parsers read what the models were trained to write.
 */
class ToolCallRoundTripTest {

    private static final Path DIR = Path.of(System.getProperty("gantry.shared"), "reference", "chat-templates");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
        "Qwen-Qwen2.5-7B-Instruct.jinja#HERMES_2_PRO#<\\|im_start\\|>assistant\\n(<tool_call>.*?</tool_call>)",
        "NousResearch-Hermes-3-Llama-3.1-8B-tool_use.jinja#HERMES_2_PRO#assistant\\n(<tool_call>.*?</tool_call>)",
        "meta-llama-Llama-3.1-8B-Instruct.jinja#LLAMA_3_X#assistant<\\|end_header_id\\|>\\n\\n(\\{.*?)<\\|eot_id\\|>",
        "meetkai-functionary-medium-v3.1.jinja#FUNCTIONARY_V3_1_LLAMA_3_1#assistant<\\|end_header_id\\|>\\n\\n(<function=.*?</function>)",
        "fireworks-ai-llama-3-firefunction-v2.jinja#FIREFUNCTION_V2#assistant<\\|end_header_id\\|>\\n\\n( functools.*?)<\\|eot_id\\|>",
        "llama-cpp-deepseek-r1.jinja#DEEPSEEK_R1#<｜Assistant｜>(<｜tool▁calls▁begin｜>.*?<｜tool▁calls▁end｜>)",
        "CohereForAI-c4ai-command-r-plus-tool_use.jinja#GENERIC#<\\|CHATBOT_TOKEN\\|>(\\nAction:\\n```json.*?\\]```)",
        "google-gemma-2-2b-it.jinja#GENERIC#model\\n(\\{\\n  \"tool_calls\".*?\\n\\})<end_of_turn>"})
    void renderedToolCallParsesBackToTheSameCall(String template, ToolCallFormat format, String pattern)
            throws IOException {
        String prompt = referencePrompt(template);
        Matcher m = Pattern.compile(pattern, Pattern.DOTALL).matcher(prompt);
        assertThat(m.find()).as("tool call in the %s prompt", template).isTrue();
        ParsedResponse parsed = ToolCallParser.parse(m.group(1), format, false);
        assertThat(parsed.toolCalls()).extracting(ToolCall::name).containsExactly("get_weather");
        assertThat(Json.parse(parsed.toolCalls().getFirst().arguments())).isEqualTo(Map.of("city", "Paris"));
        assertThat(parsed.content()).isEmpty();
    }

    private static String referencePrompt(String template) throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(DIR.resolve("renderings.jsonl"))) {
            Map<String, Object> c = json.readValue(line, new TypeReference<>() { });
            if (template.equals(c.get("template")) && "tool-call-and-result".equals(c.get("case"))) {
                return (String) c.get("prompt");
            }
        }
        throw new IllegalStateException("no tool-call reference for " + template + " in " + List.of(DIR));
    }
}
