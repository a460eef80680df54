package dev.gantry.engine.sampling;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Picks the next token of one sequence, in the order of llama.cpp's default chain ({@code common_sampler_init} with
 * the default {@code samplers} list, src/llama-sampling.cpp for each stage):
 * <ol>
 *   <li>logit bias (a bias at or below {@link SamplingParams#BAN} bans the token), then the {@link TokenMask};</li>
 *   <li>penalties over the last {@code repeat_last_n} accepted tokens: a seen token's logit is divided by the
 *       repetition penalty when positive and multiplied by it otherwise, then {@code count * frequency +
 *       presence} is subtracted (llama.cpp's {@code llama_sampler_penalties_apply}, OpenAI's formula);</li>
 *   <li>top-k (the k best logits), top-p (the shortest best-first prefix whose probability reaches p), min-p (logits
 *       at least {@code max + ln(min_p)}, i.e. probability at least min_p times the best one), each computed at
 *       temperature 1 on what the previous stage kept, as in llama.cpp;</li>
 *   <li>temperature, then a draw from the softmax of what is left with this sequence's seeded generator.</li>
 * </ol>
 * Temperature 0 is greedy: the argmax after stage 1 and 2 (the filters never drop the best token), lowest id on ties,
 * in one pass over the vocabulary.
 *
 * <p>NOTE: the sampler never sorts the vocabulary. Top-k is a heap selection ({@link TopK}); top-p without top-k
 * tries the best 256 (as llama.cpp's adaptive top-p does) and, when their mass is short of p, partitions the whole
 * vocabulary quickselect-style in expected O(n); min-p and the draw are linear. Scratch arrays live in the instance, so a step allocates nothing once they have grown. One
 * instance per sequence, not thread-safe; {@link #accept} feeds the penalty window (the caller decides whether
 * prompt tokens count, as llama.cpp's server feeds them).
 */
public final class Sampler {

    private static final int TOP_P_FIRST_GUESS = 256;
    /** Below this many undecided candidates, the nucleus search sorts them instead of partitioning again. */
    private static final int PARTITION_CUTOFF = 32;

    private final SamplingParams params;
    private final int vocabSize;
    private final long seed;
    private RandomGenerator random;
    private final int[] biasTokens;
    private final float[] biasValues;
    /** Ring buffer of the last repeatLastN accepted tokens, and room to sort a copy of it. */
    private final int[] window;
    private final int[] windowSorted;
    private int windowStart;
    private int windowSize;
    /** The adjusted logits, then the unnormalised sampling weights. */
    private final float[] work;
    /**
     * When {@code explicit}, the candidates are ids[0..count) (best first after top-k; top-p may leave them
     * unordered, which no later stage needs); otherwise every token of work.
     */
    private int[] ids = new int[0];
    private boolean explicit;
    private int count;
    private double totalWeight;

    public Sampler(SamplingParams params, int vocabSize) {
        if (vocabSize <= 0) {
            throw new IllegalArgumentException("vocabulary size must be > 0, got " + vocabSize);
        }
        this.params = params;
        this.vocabSize = vocabSize;
        this.seed = params.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong());
        this.random = new SplittableRandom(seed);
        this.biasTokens = new int[params.logitBias().size()];
        this.biasValues = new float[biasTokens.length];
        int i = 0;
        for (Map.Entry<Integer, Double> e : params.logitBias().entrySet()) {
            if (e.getKey() >= vocabSize) {
                throw new IllegalArgumentException("logit_bias token " + e.getKey() + " is outside the vocabulary of " + vocabSize + " tokens");
            }
            biasTokens[i] = e.getKey();
            biasValues[i] = e.getValue() <= SamplingParams.BAN ? Float.NEGATIVE_INFINITY : e.getValue().floatValue();
            i++;
        }
        int n = params.hasPenalties() ? params.repeatLastN() : 0;
        this.window = new int[n];
        this.windowSorted = new int[n];
        this.work = new float[vocabSize];
    }

    public SamplingParams params() {
        return params;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** The seed in use: the one in the params, or the random one picked when they had none. */
    public long seed() {
        return seed;
    }

    public int sample(float[] logits) {
        return sample(logits, null);
    }

    /** The next token for these logits (not modified), restricted to {@code mask} when it is not null. */
    public int sample(float[] logits, TokenMask mask) {
        adjust(logits, mask);
        if (params.isGreedy()) {
            return argmax();
        }
        filter();
        return draw();
    }

    /** Records a token of the sequence for the penalties. */
    public void accept(int token) {
        if (token < 0 || token >= vocabSize) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary of " + vocabSize + " tokens");
        }
        if (window.length == 0) {
            return;
        }
        if (windowSize < window.length) {
            window[(windowStart + windowSize++) % window.length] = token;
        } else {
            window[windowStart] = token;
            windowStart = (windowStart + 1) % window.length;
        }
    }

    /** Forgets the accepted tokens and restarts the generator from the seed: the sequence replays identically. */
    public void reset() {
        windowStart = 0;
        windowSize = 0;
        random = new SplittableRandom(seed);
    }

    /** For tests: the logits after bias, mask and penalties. */
    float[] adjustedLogits(float[] logits, TokenMask mask) {
        adjust(logits, mask);
        return work.clone();
    }

    /** For tests: the distribution {@link #sample} draws from, one probability per token. */
    double[] distribution(float[] logits, TokenMask mask) {
        double[] p = new double[vocabSize];
        adjust(logits, mask);
        if (params.isGreedy()) {
            p[argmax()] = 1;
            return p;
        }
        filter();
        if (explicit) {
            for (int i = 0; i < count; i++) {
                p[ids[i]] = work[ids[i]] / totalWeight;
            }
        } else {
            for (int i = 0; i < vocabSize; i++) {
                p[i] = work[i] / totalWeight;
            }
        }
        return p;
    }

    /** Stage 1 and 2: copy (checking), bias, mask, penalties. */
    private void adjust(float[] logits, TokenMask mask) {
        if (logits.length != vocabSize) {
            throw new IllegalArgumentException("expected " + vocabSize + " logits, got " + logits.length);
        }
        for (int i = 0; i < vocabSize; i++) {
            float v = logits[i];
            if (Float.isNaN(v) || v == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("logit of token " + i + " is " + v);
            }
            work[i] = v;
        }
        for (int i = 0; i < biasTokens.length; i++) {
            work[biasTokens[i]] += biasValues[i];
        }
        if (mask != null) {
            mask.apply(work);
        }
        if (windowSize > 0) {
            penalize();
        }
    }

    /** Sorting a copy of the window groups equal tokens, giving each seen token its count with no map. */
    private void penalize() {
        for (int i = 0; i < windowSize; i++) {
            windowSorted[i] = window[(windowStart + i) % window.length];
        }
        Arrays.sort(windowSorted, 0, windowSize);
        float repeat = (float) params.repetitionPenalty();
        float frequency = (float) params.frequencyPenalty();
        float presence = (float) params.presencePenalty();
        for (int i = 0; i < windowSize; ) {
            int token = windowSorted[i];
            int j = i;
            while (j < windowSize && windowSorted[j] == token) {
                j++;
            }
            int seen = j - i;
            float l = work[token];
            l = l <= 0 ? l * repeat : l / repeat;
            work[token] = l - (seen * frequency + presence);
            i = j;
        }
    }

    private int argmax() {
        int best = -1;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocabSize; i++) {
            if (work[i] > bestValue) {
                bestValue = work[i];
                best = i;
            }
        }
        if (best < 0) {
            throw nothingAllowed();
        }
        return best;
    }

    /** Stage 3 and 4: top-k, top-p, min-p, then the weights {@code exp((l - max) / T)}. */
    private void filter() {
        explicit = false;
        count = vocabSize;
        int k = params.topK();
        if (k > 0 && k < vocabSize) {
            ensureIds(k);
            count = TopK.select(work, vocabSize, k, ids);
            explicit = true;
        }
        float max = maxCandidate();
        if (max == Float.NEGATIVE_INFINITY) {
            throw nothingAllowed();
        }
        if (params.topP() < 1) {
            topP(max);
        }
        if (params.minP() > 0) {
            minP(max);
        }
        weigh(max);
    }

    private void topP(float max) {
        double target = params.topP() * massAtTemperatureOne(max);
        if (explicit) {
            count = nucleus(max, count, target);
            return;
        }
        // A peaked distribution closes its nucleus within the best few hundred tokens: try those first.
        int guess = Math.min(TOP_P_FIRST_GUESS, vocabSize);
        ensureIds(guess);
        int got = TopK.select(work, vocabSize, guess, ids);
        int kept = nucleus(max, got, target);
        explicit = true;
        count = kept < got || got < guess ? kept : nucleusByPartition(max, target);
    }

    /**
     * The nucleus of a flat distribution, without sorting: quickselect-style partitions of the candidates around a
     * pivot (better ones to its left) narrow down where the best-first mass crosses {@code target}, in expected O(n).
     * Leaves the nucleus in ids[0..returned), unordered except for its final stretch.
     */
    private int nucleusByPartition(float max, double target) {
        ensureIds(vocabSize);
        int candidates = 0;
        for (int i = 0; i < vocabSize; i++) {
            if (work[i] != Float.NEGATIVE_INFINITY) {
                ids[candidates++] = i;
            }
        }
        int lo = 0;
        int hi = candidates;
        double before = 0; // the mass of ids[0..lo), all in the nucleus
        while (hi - lo > PARTITION_CUTOFF) {
            int pivot = medianOfThree(ids[lo], ids[(lo + hi) >>> 1], ids[hi - 1]);
            int store = lo;
            int pivotAt = -1;
            double better = 0;
            for (int i = lo; i < hi; i++) {
                int id = ids[i];
                if (TopK.better(work, id, pivot)) {
                    int displaced = ids[store];
                    ids[store] = id;
                    ids[i] = displaced;
                    if (displaced == pivot) {
                        pivotAt = i;
                    }
                    store++;
                    better += Math.exp((double) work[id] - max);
                } else if (id == pivot) {
                    pivotAt = i;
                }
            }
            ids[pivotAt] = ids[store];
            ids[store] = pivot;
            if (before + better >= target) {
                hi = store;
            } else {
                before += better + Math.exp((double) work[pivot] - max);
                if (before >= target) {
                    return store + 1;
                }
                lo = store + 1;
            }
        }
        sortBestFirst(lo, hi);
        for (int i = lo; i < hi; i++) {
            before += Math.exp((double) work[ids[i]] - max);
            if (before >= target) {
                return i + 1;
            }
        }
        return hi;
    }

    private int medianOfThree(int a, int b, int c) {
        if (TopK.better(work, a, b)) {
            return TopK.better(work, b, c) ? b : TopK.better(work, a, c) ? c : a;
        }
        return TopK.better(work, a, c) ? a : TopK.better(work, b, c) ? c : b;
    }

    /** Insertion sort of ids[lo..hi), at most PARTITION_CUTOFF long. */
    private void sortBestFirst(int lo, int hi) {
        for (int i = lo + 1; i < hi; i++) {
            int id = ids[i];
            int j = i - 1;
            while (j >= lo && TopK.better(work, id, ids[j])) {
                ids[j + 1] = ids[j];
                j--;
            }
            ids[j + 1] = id;
        }
    }

    /** The length of the shortest prefix of ids[0..n) whose mass reaches target (all n when none does). */
    private int nucleus(float max, int n, double target) {
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += Math.exp((double) work[ids[i]] - max);
            if (cumulative >= target) {
                return i + 1;
            }
        }
        return n;
    }

    private double massAtTemperatureOne(float max) {
        double mass = 0;
        if (explicit) {
            for (int i = 0; i < count; i++) {
                mass += Math.exp((double) work[ids[i]] - max);
            }
        } else {
            for (int i = 0; i < vocabSize; i++) {
                mass += Math.exp((double) work[i] - max);
            }
        }
        return mass;
    }

    /** Keeps logits at least {@code max + ln(min_p)}: probability at least min_p times the best one's. */
    private void minP(float max) {
        double threshold = max + Math.log(params.minP());
        if (explicit) {
            int kept = 0;
            for (int i = 0; i < count; i++) {
                if (work[ids[i]] >= threshold) {
                    ids[kept++] = ids[i];
                }
            }
            count = kept;
        } else {
            for (int i = 0; i < vocabSize; i++) {
                if (work[i] < threshold) {
                    work[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
    }

    /** Replaces each candidate's logit by its weight at the temperature; the draw walks the same float weights. */
    private void weigh(float max) {
        double t = params.temperature();
        double total = 0;
        if (explicit) {
            for (int i = 0; i < count; i++) {
                int id = ids[i];
                float w = (float) Math.exp((work[id] - max) / t);
                work[id] = w;
                total += w;
            }
        } else {
            for (int i = 0; i < vocabSize; i++) {
                float w = (float) Math.exp((work[i] - max) / t);
                work[i] = w;
                total += w;
            }
        }
        totalWeight = total;
    }

    private int draw() {
        double u = random.nextDouble() * totalWeight;
        double cumulative = 0;
        if (explicit) {
            for (int i = 0; i < count; i++) {
                cumulative += work[ids[i]];
                if (u < cumulative) {
                    return ids[i];
                }
            }
            return ids[count - 1];
        }
        int last = -1;
        for (int i = 0; i < vocabSize; i++) {
            float w = work[i];
            if (w > 0) {
                cumulative += w;
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last;
    }

    private float maxCandidate() {
        if (explicit) {
            return count == 0 ? Float.NEGATIVE_INFINITY : work[ids[0]];
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocabSize; i++) {
            max = Math.max(max, work[i]);
        }
        return max;
    }

    private void ensureIds(int n) {
        if (ids.length < n) {
            ids = new int[n];
        }
    }

    private IllegalStateException nothingAllowed() {
        return new IllegalStateException("no token can be sampled: the mask and logit bias exclude all " + vocabSize + " tokens");
    }
}
