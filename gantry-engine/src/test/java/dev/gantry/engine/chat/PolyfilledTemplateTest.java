package dev.gantry.engine.chat;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static dev.gantry.engine.chat.TemplateCapabilities.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolyfilledTemplateTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 22, 15, 45, 12);
    /** Prints each message as role:content, and tools only if it can. */
    private static final String PLAIN = "{% for m in messages %}[{{ m.role }}:{{ m.content }}]{% endfor %}";
    private static final String REJECTS_SYSTEM = "{% if messages[0].role == 'system' %}{{ raise_exception('no') }}"
            + "{% endif %}" + PLAIN;

    private static PolyfilledTemplate polyfilled(String source) {
        ChatTemplate template = ChatTemplate.compile(source);
        return new PolyfilledTemplate(template, TemplateCapabilities.probe(template, "<s>", "</s>"), "<s>", "</s>");
    }

    @Test
    void probingFindsWhatAPlainTemplateCannotShow() {
        TemplateCapabilities caps = TemplateCapabilities.probe(ChatTemplate.compile(REJECTS_SYSTEM), "<s>", "</s>");
        assertThat(caps.supportsSystemRole()).isFalse();
        assertThat(caps.supportsTools()).isFalse();
        assertThat(caps.supportsToolCalls()).isFalse();
        assertThat(caps.toolCallExample()).contains("tool_name").contains("some_value");
    }

    @Test
    void systemMessagesAreFoldedIntoTheNextUserTurnWhenTheTemplateRejectsThem() {
        String out = polyfilled(REJECTS_SYSTEM).render(List.of(map("role", "system", "content", "Be brief."),
                map("role", "system", "content", "Be kind."), map("role", "user", "content", "Hi")),
                null, true, Map.of(), NOW);
        assertThat(out).isEqualTo("[user:Be brief.\nBe kind.\nHi]");
    }

    @Test
    void toolsAreListedInASystemMessageWithAnExampleWhenTheTemplateCannotShowThem() {
        List<Map<String, Object>> tools = List.of(map("type", "function", "function",
                map("name", "get_weather", "description", "d", "parameters", map("type", "object"))));
        String out = polyfilled(PLAIN).render(List.of(map("role", "user", "content", "Hi")), tools, true, Map.of(),
                NOW);
        assertThat(out).startsWith("[system:You can call any of the following tools to satisfy the user's requests: [\n"
                + "  {\n    \"type\": \"function\",\n    \"function\": {\n      \"name\": \"get_weather\",");
        assertThat(out).contains("\n\nExample tool call syntax:\n\n[assistant:{\n  \"tool_calls\": [\n    {\n"
                + "      \"name\": \"tool_name\",\n      \"arguments\": {\n        \"arg1\": \"some_value\"\n");
        assertThat(out).endsWith("][user:Hi]");
    }

    @Test
    void toolCallsAndResultsBecomeJsonContentWhenTheTemplateCannotShowThem() {
        List<Map<String, Object>> messages = List.of(
                map("role", "assistant", "content", null, "tool_calls", List.of(map("type", "function",
                        "function", map("name", "f", "arguments", "{\"x\": 1}"), "id", "c1"))),
                map("role", "tool", "tool_call_id", "c1", "content", "42"));
        String out = polyfilled(PLAIN).render(messages, null, false, Map.of(), NOW);
        assertThat(out).isEqualTo("[assistant:{\n  \"tool_calls\": [\n    {\n      \"name\": \"f\",\n"
                + "      \"arguments\": {\n        \"x\": 1\n      },\n      \"id\": \"c1\"\n    }\n  ]\n}]"
                + "[user:{\n  \"tool_response\": {\n    \"content\": \"42\",\n    \"tool_call_id\": \"c1\"\n  }\n}]");
    }

    @Test
    void argumentsAreParsedForTemplatesThatNeedObjects() {
        String source = "{% for m in messages %}{% for c in m.tool_calls %}{{ c.function.arguments | tojson }}"
                + "{% endfor %}{% endfor %}";
        PolyfilledTemplate t = polyfilled(source);
        assertThat(t.capabilities().requiresObjectArguments()).isTrue();
        String out = t.render(List.of(map("role", "assistant", "content", null, "tool_calls", List.of(map("type",
                "function", "function", map("name", "f", "arguments", "{\"x\":1}"))))), null, false, Map.of(), NOW);
        assertThat(out).isEqualTo("{\"x\": 1}");
    }

    @Test
    void aMessageWithoutContentCannotBePolyfilled() {
        assertThatThrownBy(() -> polyfilled(REJECTS_SYSTEM).render(List.of(map("role", "user")), null, true,
                Map.of(), NOW)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'content'");
    }
}
