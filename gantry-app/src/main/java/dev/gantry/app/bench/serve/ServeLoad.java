package dev.gantry.app.bench.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The load every target gets: {@code requests} requests of exactly {@code promptLength} random token ids each,
 * {@code outputLength} tokens asked for (with {@code ignore_eos}, so every output has that length), at most
 * {@code clients} in flight, after {@code warmup} untimed requests.
 *
 * @param seed the seed of the prompt tokens: the same seed gives every target the same prompts
 */
public record ServeLoad(int clients, int requests, int promptLength, int outputLength, int warmup, long seed) {

    /** The first ids are special in llama vocabularies (unk, bos, eos); random prompts avoid them. */
    static final int FIRST_ORDINARY_ID = 3;

    public ServeLoad {
        if (clients < 1 || requests < 1 || promptLength < 1 || outputLength < 1) {
            throw new IllegalArgumentException("--clients, --requests, --prompt-len and --output-len must be positive, got "
                    + clients + ", " + requests + ", " + promptLength + ", " + outputLength);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must not be negative, got " + warmup);
        }
    }

    /** Tokens one request occupies in a context: its prompt and its output. */
    public int tokensPerRequest() {
        return promptLength + outputLength;
    }

    /** The prompts, reproducible from the seed, with ids in {@code [3, vocabSize)}. */
    public List<int[]> prompts(int vocabSize) {
        if (vocabSize <= FIRST_ORDINARY_ID) {
            throw new IllegalArgumentException("a vocabulary of " + vocabSize + " tokens has no ordinary ids for random prompts");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<int[]> prompts = new ArrayList<>(requests);
        for (int r = 0; r < requests; r++) {
            prompts.add(random.ints(promptLength, FIRST_ORDINARY_ID, vocabSize).toArray());
        }
        return prompts;
    }
}
