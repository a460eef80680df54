package dev.gantry.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.engine.LocalModel;
import dev.gantry.engine.kvcache.SequenceKvCache;
import dev.gantry.engine.model.Transformer;
import dev.gantry.engine.sampling.Logprobs;
import dev.gantry.engine.sampling.TokenLogprob;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gantry score}: teacher-forces token ids and prints, per position, the most likely next tokens with their
 * log-probabilities under the full softmax: the way to compare Gantry with another implementation.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Teacher-force token ids; print the top-k next-token log-probabilities per position (JSON lines).")
final class ScoreCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--tokens", required = true, split = ",", paramLabel = "ID", description = "Token ids, comma separated.")
    int[] tokens;

    @Option(names = "--top", defaultValue = "5", paramLabel = "K", description = "How many tokens per position (default: ${DEFAULT-VALUE}).")
    int top;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new IllegalArgumentException("--top must be at least 1, got " + top);
        }
        try (LocalModel model = modelOptions.open()) {
            Transformer transformer = model.transformer();
            int vocab = model.config().vocabSize();
            if (tokens.length > model.config().contextLength()) {
                throw new IllegalArgumentException(tokens.length + " tokens exceed the model's context of " + model.config().contextLength());
            }
            for (int id : tokens) {
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.." + (vocab - 1) + ")");
                }
            }
            float[] logits;
            try (SequenceKvCache cache = transformer.newCache(tokens.length)) {
                logits = transformer.forward(tokens, 0, cache, tokens.length);
            }
            ObjectMapper json = new ObjectMapper();
            PrintWriter out = spec.commandLine().getOut();
            for (int pos = 0; pos < tokens.length; pos++) {
                float[] row = Arrays.copyOfRange(logits, pos * vocab, (pos + 1) * vocab);
                ObjectNode line = json.createObjectNode();
                line.put("pos", pos);
                line.put("token", tokens[pos]);
                if (pos + 1 < tokens.length) {
                    line.put("next", tokens[pos + 1]);
                    line.put("next_logprob", Logprobs.of(row, tokens[pos + 1]));
                }
                ArrayNode topArray = line.putArray("top");
                for (TokenLogprob e : Logprobs.top(row, Math.min(top, vocab))) {
                    topArray.addArray().add(e.token()).add(e.logprob());
                }
                out.println(json.writeValueAsString(line));
            }
            out.flush();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return 0;
    }
}
