package dev.gantry.app.cli;

import dev.gantry.engine.LocalModel;
import dev.gantry.engine.TokenTextStream;
import dev.gantry.engine.kvcache.SequenceKvCache;
import dev.gantry.engine.model.Transformer;
import dev.gantry.engine.sampling.Sampler;
import dev.gantry.engine.sampling.SamplingParams;
import dev.gantry.engine.tokenizer.Tokenizer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gantry run}: generate from a prompt without a server, streaming the text to stdout. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Generate a continuation of a prompt.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = {"-p", "--prompt"}, required = true, paramLabel = "TEXT", description = "The prompt.")
    String prompt;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "256", paramLabel = "N", description = "Tokens to generate at most (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0.8", paramLabel = "T", description = "0 is greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "40", paramLabel = "K", description = "0 turns it off (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", paramLabel = "P", description = "Nucleus sampling (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--min-p", defaultValue = "0.05", paramLabel = "P", description = "Minimum probability relative to the best token (default: ${DEFAULT-VALUE}).")
    float minP;

    @Option(names = "--repeat-penalty", defaultValue = "1.0", paramLabel = "X", description = "Repetition penalty, 1 is off (default: ${DEFAULT-VALUE}).")
    float repeatPenalty;

    @Option(names = "--presence-penalty", defaultValue = "0", paramLabel = "X", description = "OpenAI presence penalty (default: ${DEFAULT-VALUE}).")
    float presencePenalty;

    @Option(names = "--frequency-penalty", defaultValue = "0", paramLabel = "X", description = "OpenAI frequency penalty (default: ${DEFAULT-VALUE}).")
    float frequencyPenalty;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed: the same seed gives the same output.")
    Long seed;

    @Option(names = "--ignore-eos", description = "Keep generating past the end-of-generation tokens.")
    boolean ignoreEos;

    @Override
    public Integer call() {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("--max-tokens must not be negative, got " + maxTokens);
        }
        SamplingParams params = new SamplingParams(temperature, topK, topP, minP, repeatPenalty, presencePenalty,
                frequencyPenalty, SamplingParams.DEFAULT_REPEAT_LAST_N,
                seed == null ? OptionalLong.empty() : OptionalLong.of(seed), Map.of());
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (LocalModel model = modelOptions.open()) {
            Tokenizer tokenizer = model.tokenizer();
            Transformer transformer = model.transformer();
            int[] promptIds = tokenizer.encode(prompt, true, true);
            if (promptIds.length == 0) {
                throw new IllegalArgumentException("the prompt is empty and the model adds no BOS token");
            }
            int context = model.config().contextLength();
            if (promptIds.length >= context) {
                throw new IllegalArgumentException("the prompt has " + promptIds.length + " tokens; the model's context is " + context);
            }
            int budget = Math.min(maxTokens, context - promptIds.length);
            Sampler sampler = new Sampler(params, model.config().vocabSize());
            for (int id : promptIds) {
                sampler.accept(id);
            }
            TokenTextStream text = new TokenTextStream(tokenizer);
            generate(transformer, tokenizer, sampler, promptIds, budget, text, out);
        }
        return 0;
    }

    private void generate(Transformer transformer, Tokenizer tokenizer, Sampler sampler, int[] promptIds, int budget,
                          TokenTextStream text, PrintStream out) {
        try (SequenceKvCache cache = transformer.newCache(promptIds.length + budget)) {
            long start = System.nanoTime();
            float[] logits = transformer.forward(promptIds, 0, cache, 1);
            long prefilled = System.nanoTime();
            int generated = 0;
            int pos = promptIds.length;
            while (generated < budget) {
                int next = sampler.sample(logits);
                if (!ignoreEos && tokenizer.isEndOfGeneration(next)) {
                    break;
                }
                generated++;
                sampler.accept(next);
                out.print(text.accept(next));
                if (generated == budget) {
                    break;
                }
                logits = transformer.forward(new int[] {next}, pos++, cache, 1);
            }
            out.println(text.flush());
            long end = System.nanoTime();
            System.err.printf("prompt: %d tokens, %.1f tok/s | generation: %d tokens, %.1f tok/s%n",
                    promptIds.length, rate(promptIds.length, prefilled - start), generated, rate(generated, end - prefilled));
        }
    }

    private static double rate(int tokens, long nanos) {
        return nanos <= 0 ? 0 : tokens * 1e9 / nanos;
    }
}
