package dev.gantry.app.bench;

import dev.gantry.engine.LocalModel;
import dev.gantry.engine.kvcache.SequenceKvCache;
import dev.gantry.engine.model.Transformer;
import java.util.SplittableRandom;

/**
 * Runs a {@link BenchCase} on a model exactly as llama-bench's {@code test_prompt} and {@code test_gen} do: pp
 * decodes one batch of {@code nPrompt} tokens (BOS first when the vocabulary adds one, then random ids) into an
 * empty cache and asks for the last position's logits; tg decodes {@code nGen} single tokens from an empty cache
 * (BOS, then random ids), one forward pass each. The clock covers the forward passes only: the cache is allocated
 * (llama-bench: cleared) before it starts. Untimed warm-up runs precede the repetitions: llama-bench does one;
 * the JVM may want more on tiny models, where one run is too short for the JIT to finish.
 */
public final class GantryBench {

    private final LocalModel model;
    private final SplittableRandom random;

    public GantryBench(LocalModel model, long seed) {
        this.model = model;
        this.random = new SplittableRandom(seed);
    }

    public Samples run(BenchCase test, int repetitions, int warmups) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be at least 1, got " + repetitions);
        }
        int context = model.config().contextLength();
        if (test.tokens() > context) {
            throw new IllegalArgumentException(test.name() + " needs " + test.tokens() + " positions; the model's context is " + context);
        }
        for (int w = 0; w < warmups; w++) {
            once(test);
        }
        long[] ns = new long[repetitions];
        for (int r = 0; r < repetitions; r++) {
            ns[r] = once(test);
        }
        return new Samples(test.tokens(), ns);
    }

    /** One timed run, in nanoseconds, with a KV cache of its own (freed after it). */
    private long once(BenchCase test) {
        Transformer transformer = model.transformer();
        try (SequenceKvCache cache = transformer.newCache(test.tokens())) {
            return once(test, transformer, cache);
        }
    }

    private long once(BenchCase test, Transformer transformer, SequenceKvCache cache) {
        int vocab = model.config().vocabSize();
        int first = model.tokenizer().addBos() ? model.tokenizer().bosId() : random.nextInt(vocab);
        if (test.isPrompt()) {
            int[] tokens = new int[test.nPrompt()];
            tokens[0] = first;
            for (int i = 1; i < tokens.length; i++) {
                tokens[i] = random.nextInt(vocab);
            }
            long start = System.nanoTime();
            transformer.forward(tokens, 0, cache, 1);
            return System.nanoTime() - start;
        }
        int[] token = {first};
        long start = System.nanoTime();
        for (int pos = 0; pos < test.nGen(); pos++) {
            transformer.forward(token, pos, cache, 1);
            token[0] = random.nextInt(vocab);
        }
        return System.nanoTime() - start;
    }
}
