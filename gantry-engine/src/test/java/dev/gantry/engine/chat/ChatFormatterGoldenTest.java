package dev.gantry.engine.chat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.chat.jinja.TemplateException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every reference rendering produced by llama.cpp (build 5601, llama-server with --jinja) for 19 real chat
 * templates and 5 conversations must be reproduced exactly, including the cases where the template raised.
 */
class ChatFormatterGoldenTest {

    private static final Path DIR = Path.of(System.getProperty("gantry.shared"), "reference", "chat-templates");
    /** The references print the time as 15:45:12 on their date. */
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 22, 15, 45, 12);
    private static final Pattern ERROR_MESSAGE = Pattern.compile("\"message\":\"(.*?) at row \\d+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ChatFormatter> formatters = new HashMap<>();

    @TestFactory
    Stream<DynamicTest> rendersEveryReferenceConversationAsLlamaCppDoes() throws IOException {
        List<String> lines = Files.readAllLines(DIR.resolve("renderings.jsonl"));
        assertThat(lines).hasSize(95);
        return lines.stream().map(this::parse).map(c -> DynamicTest.dynamicTest(
                c.get("template") + " / " + c.get("case"), () -> check(c)));
    }

    private Map<String, Object> parse(String line) {
        try {
            return JSON.readValue(line, new TypeReference<>() { });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private void check(Map<String, Object> c) throws IOException {
        String name = (String) c.get("template");
        String source = Files.readString(DIR.resolve(name));
        ChatFormatter formatter = formatters.computeIfAbsent(name + c.get("bos_token") + c.get("eos_token"),
                k -> ChatFormatter.create(source, (String) c.get("bos_token"), (String) c.get("eos_token")));
        ChatRequest request = new ChatRequest((List<Map<String, Object>>) c.get("messages"),
                (List<Map<String, Object>>) c.get("tools"), (Boolean) c.get("add_generation_prompt"), NOW, true,
                Map.of());
        if (c.get("error") != null) {
            String expected = errorMessage((String) c.get("error"));
            boolean raisedByTemplate = source.contains(expected);
            assertThatThrownBy(() -> formatter.format(request))
                    .isInstanceOfSatisfying(TemplateException.class, e -> {
                        if (raisedByTemplate) {
                            assertThat(e.kind()).isEqualTo(TemplateException.Kind.RAISED);
                            assertThat(e.detail()).isEqualTo(expected);
                        } else {
                            assertThat(e.kind()).isEqualTo(TemplateException.Kind.RENDER);
                        }
                    });
            return;
        }
        assertThat(formatter.format(request).prompt()).isEqualTo(c.get("prompt"));
    }

    /** The reference keeps llama-server's error body, cut short; the template's message is its first part. */
    private static String errorMessage(String body) throws IOException {
        Matcher m = ERROR_MESSAGE.matcher(body);
        assertThat(m.find()).as("error message in %s", body).isTrue();
        return JSON.readValue("\"" + m.group(1) + "\"", String.class);
    }
}
