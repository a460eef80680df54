package dev.gantry.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.chat.ToolCallFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Streamed answers split into content and tool-call deltas, whatever the piece boundaries. */
class ToolCallStreamTest {

    /** What a client assembles from the deltas. */
    record Assembled(String content, List<String> names, List<String> arguments, List<String> ids, boolean called) {
    }

    @SuppressWarnings("unchecked")
    private static Assembled stream(ToolCallFormat format, String text, int pieceLength) {
        ToolCallStream s = new ToolCallStream(format, false, "call");
        List<ToolCallStream.Delta> deltas = new ArrayList<>();
        for (int i = 0; i < text.length(); i += pieceLength) {
            deltas.addAll(s.accept(text.substring(i, Math.min(text.length(), i + pieceLength))));
        }
        deltas.addAll(s.finish());
        StringBuilder content = new StringBuilder();
        List<String> names = new ArrayList<>();
        List<StringBuilder> args = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (ToolCallStream.Delta d : deltas) {
            if (d.content() != null) {
                assertThat(d.toolCall()).isNull();
                content.append(d.content());
                continue;
            }
            int index = (Integer) d.toolCall().get("index");
            Map<String, Object> fn = (Map<String, Object>) d.toolCall().get("function");
            if (d.toolCall().containsKey("id")) {
                assertThat(index).as("calls are announced in order").isEqualTo(names.size());
                assertThat(d.toolCall().get("type")).isEqualTo("function");
                names.add((String) fn.get("name"));
                ids.add((String) d.toolCall().get("id"));
                args.add(new StringBuilder());
            } else {
                assertThat(fn).as("later deltas carry only arguments").containsOnlyKeys("arguments");
            }
            args.get(index).append((String) fn.get("arguments"));
        }
        return new Assembled(content.toString(), names, args.stream().map(StringBuilder::toString).toList(), ids, s.calledTools());
    }

    private static Object json(String s) throws Exception {
        return new ObjectMapper().readValue(s, Object.class);
    }

    @Test
    void hermesCallsStreamTheirNameThenArgumentPiecesAndNoMarkup() throws Exception {
        String text = "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"days\": [1, 2]}}\n</tool_call>\n"
                + "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>";
        for (int piece : new int[] {1, 2, 3, 7, 1000}) {
            Assembled a = stream(ToolCallFormat.HERMES_2_PRO, text, piece);
            assertThat(a.content()).as("piece %d", piece).isEqualTo("Let me check.");
            assertThat(a.names()).containsExactly("get_weather", "get_time");
            assertThat(json(a.arguments().get(0))).isEqualTo(Map.of("city", "Paris", "days", List.of(1, 2)));
            assertThat(json(a.arguments().get(1))).isEqualTo(Map.of());
            assertThat(a.ids()).containsExactly("call-0", "call-1");
            assertThat(a.called()).isTrue();
        }
    }

    @Test
    void argumentsArriveInSeveralPiecesWhenStreamedSmall() {
        ToolCallStream s = new ToolCallStream(ToolCallFormat.HERMES_2_PRO, false, "c");
        String text = "<tool_call>\n{\"name\": \"f\", \"arguments\": {\"a\": \"long text here\"}}\n</tool_call>";
        int argumentDeltas = 0;
        for (char c : text.toCharArray()) {
            for (ToolCallStream.Delta d : s.accept(String.valueOf(c))) {
                assertThat(d.content()).isNull();
                if (d.toolCall() != null && !d.toolCall().containsKey("id")) {
                    argumentDeltas++;
                }
            }
        }
        assertThat(argumentDeltas).isGreaterThan(5);
    }

    @Test
    void otherFamiliesStreamTheirCalls() throws Exception {
        Assembled mistral = stream(ToolCallFormat.MISTRAL_NEMO, "[TOOL_CALLS][{\"name\": \"f\", \"arguments\": {\"x\": 1}, \"id\": \"abcdefghi\"}]", 2);
        assertThat(mistral.names()).containsExactly("f");
        assertThat(json(mistral.arguments().getFirst())).isEqualTo(Map.of("x", 1));
        assertThat(mistral.content()).isEmpty();
        Assembled llama = stream(ToolCallFormat.LLAMA_3_X, "{\"name\": \"g\", \"parameters\": {\"y\": true}}", 3);
        assertThat(llama.names()).containsExactly("g");
        assertThat(json(llama.arguments().getFirst())).isEqualTo(Map.of("y", true));
        Assembled generic = stream(ToolCallFormat.GENERIC, "{\"tool_call\": {\"name\": \"h\", \"arguments\": {\"z\": null}}}", 4);
        assertThat(generic.names()).containsExactly("h");
        assertThat(generic.content()).isEmpty();
        Assembled functionary = stream(ToolCallFormat.FUNCTIONARY_V3_1_LLAMA_3_1, "<function=k>{\"w\": 2}</function>", 2);
        assertThat(functionary.names()).containsExactly("k");
        assertThat(json(functionary.arguments().getFirst())).isEqualTo(Map.of("w", 2));
        Assembled deepseek = stream(ToolCallFormat.DEEPSEEK_R1, "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>d\n```json\n{\"v\": 3}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>", 5);
        assertThat(deepseek.names()).as("decided at the end").containsExactly("d");
        assertThat(json(deepseek.arguments().getFirst())).isEqualTo(Map.of("v", 3));
    }

    @Test
    void plainAnswersStayContentEvenWhenTheyLookLikeAMarkerForAWhile() {
        Assembled a = stream(ToolCallFormat.HERMES_2_PRO, "I use <tool> tags and <tool_ sometimes.", 1);
        assertThat(a.content()).isEqualTo("I use <tool> tags and <tool_ sometimes.");
        assertThat(a.called()).isFalse();
        Assembled generic = stream(ToolCallFormat.GENERIC, "{\"response\": \"hello\"}", 3);
        assertThat(generic.called()).isFalse();
        assertThat(generic.content()).as("as the non-streamed answer has it").isEqualTo("{\"response\": \"hello\"}");
        Assembled broken = stream(ToolCallFormat.HERMES_2_PRO, "ok <tool_call> not json", 2);
        assertThat(broken.content()).as("nothing is lost").isEqualTo("ok <tool_call> not json");
    }

    @Test
    void reasoningIsHeldBackAndLeftOutOfTheContent() {
        Assembled a = stream(ToolCallFormat.HERMES_2_PRO, "<think>hmm</think>\nHello", 2);
        assertThat(a.content()).isEqualTo("Hello");
    }
}
