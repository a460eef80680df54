package dev.gantry.engine.chat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static dev.gantry.engine.chat.TemplateCapabilities.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatFormatterTest {

    private static final Path DIR = Path.of(System.getProperty("gantry.shared"), "reference", "chat-templates");
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 22, 15, 45, 12);
    private static final List<Map<String, Object>> HELLO = List.of(map("role", "user", "content", "Hello"));
    private static final List<Map<String, Object>> TOOLS = List.of(map("type", "function", "function",
            map("name", "get_weather", "description", "Weather", "parameters", map("type", "object",
                    "properties", map("city", map("type", "string")), "required", List.of("city")))));

    private static ChatFormatter formatter(String template) throws IOException {
        return ChatFormatter.create(Files.readString(DIR.resolve(template)), "<s>", "</s>");
    }

    @Test
    void leadingBosAndTrailingEosThatTheTemplatePrintsAreCut() {
        ChatFormatter f = ChatFormatter.create("{{ bos_token }}{{ messages[0].content }}{{ eos_token }}", "<s>", "</s>");
        assertThat(f.format(new ChatRequest(HELLO, null, false, NOW, true, Map.of())).prompt()).isEqualTo("Hello");
    }

    @Test
    void familiesAreRecognisedFromTheTemplateToPickTheToolCallFormat() throws IOException {
        assertThat(formatter("meta-llama-Llama-3.1-8B-Instruct.jinja").format(ChatRequest.of(HELLO, TOOLS, NOW))
                .format()).isEqualTo(ToolCallFormat.LLAMA_3_X);
        assertThat(formatter("Qwen-Qwen2.5-7B-Instruct.jinja").format(ChatRequest.of(HELLO, TOOLS, NOW)).format())
                .isEqualTo(ToolCallFormat.HERMES_2_PRO);
        assertThat(formatter("mistralai-Mistral-Nemo-Instruct-2407.jinja").format(ChatRequest.of(HELLO, TOOLS, NOW))
                .format()).isEqualTo(ToolCallFormat.MISTRAL_NEMO);
        assertThat(formatter("google-gemma-2-2b-it.jinja").format(ChatRequest.of(HELLO, TOOLS, NOW)).format())
                .isEqualTo(ToolCallFormat.GENERIC);
        assertThat(formatter("google-gemma-2-2b-it.jinja").format(ChatRequest.of(HELLO, null, NOW)).format())
                .isEqualTo(ToolCallFormat.CONTENT_ONLY);
    }

    @Test
    void disablingThinkingClosesTheThinkBlockForQwen3() throws IOException {
        FormattedPrompt p = formatter("Qwen-Qwen3-0.6B.jinja").format(new ChatRequest(HELLO, null, true, NOW, false,
                Map.of()));
        assertThat(p.prompt()).endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n");
    }

    @Test
    void deepSeekR1PromptEndsInsideThinkingUnlessThinkingIsDisabled() throws IOException {
        ChatFormatter f = formatter("deepseek-ai-DeepSeek-R1-Distill-Qwen-32B.jinja");
        FormattedPrompt open = f.format(ChatRequest.of(HELLO, null, NOW));
        assertThat(open.thinkingForcedOpen()).isTrue();
        assertThat(open.prompt()).endsWith("<think>\n");
        FormattedPrompt closed = f.format(new ChatRequest(HELLO, null, true, NOW, false, Map.of()));
        assertThat(closed.thinkingForcedOpen()).isFalse();
        assertThat(closed.prompt()).endsWith("<think>\n</think>");
    }

    @Test
    void templateKwargsReachTheTemplate() {
        ChatFormatter f = ChatFormatter.create("{{ greeting }} {{ messages[0].content }}", "", "");
        assertThat(f.format(new ChatRequest(HELLO, null, false, NOW, true, Map.of("greeting", "Hey"))).prompt())
                .isEqualTo("Hey Hello");
    }

    @Test
    void toolCallArgumentsMayBeGivenAsAnObject() throws IOException {
        List<Map<String, Object>> messages = List.of(map("role", "user", "content", "Weather?"),
                map("role", "assistant", "content", "", "tool_calls", List.of(map("type", "function",
                        "function", map("name", "get_weather", "arguments", map("city", "Paris"))))));
        String prompt = formatter("Qwen-Qwen2.5-7B-Instruct.jinja").format(new ChatRequest(messages, TOOLS, false,
                NOW, true, Map.of())).prompt();
        assertThat(prompt).contains("{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}");
    }

    @Test
    void malformedMessagesAreRejectedWithTheirIndex() {
        ChatFormatter f = ChatFormatter.create("{{ messages }}", "", "");
        assertThatThrownBy(() -> f.format(ChatRequest.of(List.of(map("role", "user", "content", "a"),
                map("content", "no role")), null, NOW))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("message 1");
    }
}
