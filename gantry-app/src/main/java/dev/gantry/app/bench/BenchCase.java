package dev.gantry.app.bench;

/**
 * One llama-bench test: {@code nPrompt} prompt tokens in one batch ({@code pp}) or {@code nGen} decode steps
 * ({@code tg}), each from an empty cache, on {@code threads} threads. llama-bench also has combined tests
 * ({@code -pg}); Gantry runs the two kinds it reports by default.
 */
public record BenchCase(int nPrompt, int nGen, int threads) {

    public BenchCase {
        if (nPrompt < 0 || nGen < 0 || (nPrompt > 0) == (nGen > 0)) {
            throw new IllegalArgumentException("a test is either a prompt (pp) or a generation (tg) of at least one token, got pp "
                    + nPrompt + " tg " + nGen);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    public static BenchCase prompt(int tokens, int threads) {
        return new BenchCase(tokens, 0, threads);
    }

    public static BenchCase generation(int tokens, int threads) {
        return new BenchCase(0, tokens, threads);
    }

    public boolean isPrompt() {
        return nPrompt > 0;
    }

    /** Tokens processed per repetition. */
    public int tokens() {
        return nPrompt + nGen;
    }

    /** As llama-bench names it: {@code pp512}, {@code tg128}. */
    public String name() {
        return isPrompt() ? "pp" + nPrompt : "tg" + nGen;
    }
}
