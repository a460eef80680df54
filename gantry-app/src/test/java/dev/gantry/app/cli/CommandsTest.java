package dev.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model commands on the real stories260K model, checked against llama.cpp's outputs. */
class CommandsTest {

    @Test
    void showSummarizesTheModel() {
        Cli r = Cli.run("show", "-m", Cli.stories());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("architecture    llama").contains("layers          5").contains("512 tokens");
    }

    @Test
    void tokenizeMatchesLlamaCppIds() {
        Cli r = Cli.run("tokenize", "-m", Cli.stories(), "--text", "Once upon a time", "--ids");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().trim()).isEqualTo("[1, 403, 407, 261, 378]");
    }

    @Test
    void tokenizeListsPieces() {
        Cli r = Cli.run("tokenize", "-m", Cli.stories(), "--text", "Once upon a time");
        assertThat(r.out()).contains("403 -> ' Once'");
    }

    @Test
    void scorePrintsTopLogprobsPerPosition() throws Exception {
        Cli r = Cli.run("score", "-m", Cli.stories(), "--tokens", "1,403,407,261,378", "--top", "3", "-t", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(5);
        JsonNode last = new ObjectMapper().readTree(lines.get(4));
        assertThat(last.get("pos").asInt()).isEqualTo(4);
        assertThat(last.get("top")).hasSize(3);
        // llama.cpp: after "Once upon a time" the best next token is 432 (",") at -0.03175
        assertThat(last.get("top").get(0).get(0).asInt()).isEqualTo(432);
        assertThat(last.get("top").get(0).get(1).asDouble()).isCloseTo(-0.03175, org.assertj.core.data.Offset.offset(0.02));
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("next").asInt()).isEqualTo(403);
        assertThat(first.get("next_logprob").asDouble()).isNegative();
    }

    @Test
    void greedyRunContinuesLikeLlamaCpp() {
        Cli r = RunCapture.run("run", "-m", Cli.stories(), "-p", "Once upon a time", "-n", "12", "--temperature", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith(", there was a little girl named Lily.");
        assertThat(r.err()).contains("prompt: 5 tokens").contains("generation: 12 tokens");
    }

    @Test
    void sameSeedSameText() {
        String[] args = {"run", "-m", Cli.stories(), "-p", "Once upon a time", "-n", "24", "--temperature", "1.0", "--seed", "42"};
        Cli a = RunCapture.run(args);
        Cli b = RunCapture.run(args);
        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out()).isNotBlank();
    }
}
