package dev.gantry.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplerTest {

    /** Only the stage under test is on. */
    private static final SamplingParams PLAIN = SamplingParams.greedy().withTemperature(1).withSeed(1);

    /** Probabilities 0.5, 0.3, 0.15, 0.05 at temperature 1. */
    private static final float[] FOUR = logitsOf(0.5, 0.3, 0.15, 0.05);

    @Test
    void greedyPicksTheArgmaxAndTheLowestIdOnTies() {
        Sampler greedy = new Sampler(SamplingParams.greedy(), 6);
        assertThat(greedy.sample(new float[] {0, 3, -1, 2, 2.9f, 1})).isEqualTo(1);
        assertThat(greedy.sample(new float[] {0, 3, -1, 3, 3, 1})).isEqualTo(1);
        assertThat(greedy.sample(new float[] {-5, -5, -5, -5, -5, -5})).isZero();
        assertThat(greedy.sample(new float[] {Float.NEGATIVE_INFINITY, -1e30f, -1, -1, 7, 7})).isEqualTo(4);
    }

    @Test
    void greedyAppliesBiasMaskAndPenaltiesBeforeTheArgmax() {
        float[] logits = {0, 3, -1, 2.5f, 1};
        assertThat(new Sampler(SamplingParams.greedy().withLogitBias(Map.of(1, -1.0)), 5).sample(logits)).isEqualTo(3);
        assertThat(new Sampler(SamplingParams.greedy(), 5).sample(logits, TokenMask.allowing(0, 2, 4))).isEqualTo(4);
        Sampler penalized = new Sampler(SamplingParams.greedy().withRepetitionPenalty(1.5), 5);
        penalized.accept(1);
        assertThat(penalized.sample(logits)).as("3 / 1.5 = 2 < 2.5").isEqualTo(3);
    }

    @Test
    void logitBiasIsAddedAndMinus100Bans() {
        Sampler s = new Sampler(PLAIN.withLogitBias(Map.of(0, 2.5, 2, -100.0, 3, 100.0)), 4);
        float[] adjusted = s.adjustedLogits(new float[] {1, 2, 3, 4}, null);
        assertThat(adjusted).containsExactly(3.5f, 2, Float.NEGATIVE_INFINITY, 104);

        Sampler hot = new Sampler(PLAIN.withTemperature(100).withLogitBias(Map.of(1, -100.0)), 3);
        for (int i = 0; i < 10_000; i++) {
            assertThat(hot.sample(new float[] {0, 50, 0})).isNotEqualTo(1);
        }
    }

    @Test
    void maskedTokensGetMinusInfinityAndAPositiveBiasDoesNotReviveThem() {
        BitSet allowed = new BitSet();
        allowed.set(1);
        allowed.set(3);
        Sampler s = new Sampler(PLAIN.withLogitBias(Map.of(0, 100.0)), 4);
        assertThat(s.adjustedLogits(new float[] {1, 2, 3, 4}, TokenMask.of(allowed)))
                .containsExactly(Float.NEGATIVE_INFINITY, 2, Float.NEGATIVE_INFINITY, 4);
        for (int i = 0; i < 2_000; i++) {
            assertThat(s.sample(new float[] {1, 2, 3, 4}, TokenMask.of(allowed))).isIn(1, 3);
        }
        allowed.set(2);
        assertThat(s.distribution(new float[] {1, 2, 3, 4}, TokenMask.of(allowed))[2]).as("the mask is a live view").isPositive();
        TokenMask lambda = token -> token % 2 == 0;
        assertThat(s.adjustedLogits(new float[] {1, 2, 3, 4}, lambda)).containsExactly(101, Float.NEGATIVE_INFINITY, 3, Float.NEGATIVE_INFINITY);
    }

    @Test
    void whenNothingIsAllowedSamplingFailsClearly() {
        Sampler s = new Sampler(PLAIN.withLogitBias(Map.of(0, -100.0)), 2);
        assertThatThrownBy(() -> s.sample(new float[] {1, 2}, TokenMask.allowing(0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no token can be sampled: the mask and logit bias exclude all 2 tokens");
        Sampler greedy = new Sampler(SamplingParams.greedy(), 2);
        assertThatThrownBy(() -> greedy.sample(new float[] {1, 2}, TokenMask.allowing())).isInstanceOf(IllegalStateException.class);
        Sampler topK = new Sampler(PLAIN.withTopK(1), 2);
        assertThatThrownBy(() -> topK.sample(new float[] {1, 2}, TokenMask.allowing())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenTokensOnly() {
        Sampler s = new Sampler(PLAIN.withRepetitionPenalty(2), 6);
        for (int t : new int[] {1, 2, 2, 4}) {
            s.accept(t);
        }
        assertThat(s.adjustedLogits(new float[] {3, 3, -3, 3, 0, -1}, null)).containsExactly(3, 1.5f, -6, 3, 0, -1);
    }

    @Test
    void presenceAndFrequencyPenaltiesSubtractCountTimesFrequencyPlusPresence() {
        Sampler s = new Sampler(PLAIN.withPresencePenalty(0.5).withFrequencyPenalty(0.25).withRepetitionPenalty(2), 6);
        for (int t : new int[] {3, 3, 5, 3}) {
            s.accept(t);
        }
        float[] adjusted = s.adjustedLogits(new float[] {1, 2, -1, 4, 0, -2}, null);
        // token 3: 4 / 2 - (3 * 0.25 + 0.5); token 5: -2 * 2 - (1 * 0.25 + 0.5); the others were never seen
        assertThat(adjusted).containsExactly(1, 2, -1, 0.75f, 0, -4.75f);
    }

    @Test
    void penaltiesOnlyLookAtTheLastRepeatLastNAcceptedTokens() {
        Sampler s = new Sampler(PLAIN.withPresencePenalty(1).withRepeatLastN(2), 4);
        for (int t : new int[] {0, 1, 2, 3, 2}) {
            s.accept(t);
        }
        assertThat(s.adjustedLogits(new float[] {5, 5, 5, 5}, null)).as("window holds 3, 2").containsExactly(5, 5, 4, 4);
        s.reset();
        assertThat(s.adjustedLogits(new float[] {5, 5, 5, 5}, null)).containsExactly(5, 5, 5, 5);
        Sampler off = new Sampler(PLAIN.withPresencePenalty(1).withRepeatLastN(0), 4);
        off.accept(1);
        assertThat(off.adjustedLogits(new float[] {5, 5, 5, 5}, null)).containsExactly(5, 5, 5, 5);
    }

    @Test
    void topKKeepsTheKBestRenormalised() {
        Sampler s = new Sampler(PLAIN.withTopK(2), 4);
        assertThat(s.distribution(FOUR, null)).containsExactly(new double[] {0.5 / 0.8, 0.3 / 0.8, 0, 0}, within(1e-6));
        Sampler ties = new Sampler(PLAIN.withTopK(2), 4);
        assertThat(ties.distribution(new float[] {1, 2, 2, 2}, null)).as("ties keep the lower ids")
                .containsExactly(new double[] {0, 0.5, 0.5, 0}, within(1e-6));
        Sampler all = new Sampler(PLAIN.withTopK(10), 4);
        assertThat(all.distribution(FOUR, null)).containsExactly(new double[] {0.5, 0.3, 0.15, 0.05}, within(1e-6));
    }

    @Test
    void topPKeepsTheMinimalNucleus() {
        assertThat(kept(PLAIN.withTopP(0.45), FOUR)).containsExactly(0);
        assertThat(kept(PLAIN.withTopP(0.75), FOUR)).containsExactly(0, 1);
        assertThat(kept(PLAIN.withTopP(0.85), FOUR)).containsExactly(0, 1, 2);
        assertThat(kept(PLAIN.withTopP(0.99), FOUR)).containsExactly(0, 1, 2, 3);
        assertThat(new Sampler(PLAIN.withTopP(0.75), 4).distribution(FOUR, null))
                .containsExactly(new double[] {0.5 / 0.8, 0.3 / 0.8, 0, 0}, within(1e-6));
    }

    @Test
    void topPOnALargeFlatVocabularyMatchesASortedReference() {
        int n = 20_000;
        float[] logits = new float[n];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            logits[i] = (float) (random.nextDouble() * 0.5);
        }
        double p = 0.9;
        List<Integer> order = IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i)).toList();
        double z = IntStream.range(0, n).mapToDouble(i -> Math.exp(logits[i])).sum();
        List<Integer> expected = new ArrayList<>();
        double cumulative = 0;
        for (int id : order) {
            expected.add(id);
            cumulative += Math.exp(logits[id]) / z;
            if (cumulative >= p) {
                break;
            }
        }
        assertThat(expected.size()).as("the nucleus is far larger than the first 256 guess").isGreaterThan(10_000);
        assertThat(kept(PLAIN.withTopP(p), logits)).isEqualTo(expected.stream().sorted().toList());
    }

    @Test
    void minPKeepsTokensAtLeastMinPTimesTheBestProbability() {
        assertThat(kept(PLAIN.withMinP(0.25), FOUR)).containsExactly(0, 1, 2);
        assertThat(kept(PLAIN.withMinP(0.5), FOUR)).containsExactly(0, 1);
        assertThat(kept(PLAIN.withMinP(0.65), FOUR)).containsExactly(0);
        assertThat(kept(PLAIN.withMinP(0.65).withTopK(3), FOUR)).containsExactly(0);
        assertThat(kept(PLAIN.withMinP(1), new float[] {1, 2, 2, 0})).containsExactly(1, 2);
    }

    @Test
    void temperatureDividesTheLogitsOfWhatTheFiltersKept() {
        float[] logits = {1, 2, 0.5f, -1};
        for (double t : new double[] {0.5, 1, 2, 7}) {
            assertThat(new Sampler(PLAIN.withTemperature(t), 4).distribution(logits, null))
                    .as("T = %s", t).containsExactly(softmax(logits, t), within(1e-6));
        }
        // Filters see temperature-1 probabilities (llama.cpp applies temperature last): a hot temperature flattens
        // the distribution but does not widen the nucleus.
        double[] hot = new Sampler(PLAIN.withTemperature(10).withTopP(0.75), 4).distribution(FOUR, null);
        assertThat(hot[2]).isZero();
        assertThat(hot[3]).isZero();
        assertThat(hot[0]).isCloseTo(Math.pow(0.5, 0.1) / (Math.pow(0.5, 0.1) + Math.pow(0.3, 0.1)), within(1e-6));
    }

    @Test
    void topPIsComputedOnWhatTopKKept() {
        float[] logits = logitsOf(0.4, 0.3, 0.2, 0.1);
        assertThat(kept(PLAIN.withTopP(0.5), logits)).containsExactly(0, 1);
        assertThat(kept(PLAIN.withTopP(0.5).withTopK(2), logits)).as("0.4 / 0.7 >= 0.5").containsExactly(0);
    }

    @Test
    void theSameSeedGivesTheSameSequenceAndAnotherSeedAnother() {
        float[] logits = new float[50];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.sin(i);
        }
        int[] a = run(new Sampler(SamplingParams.defaults().withTopK(0).withSeed(42), 50), logits, 200);
        int[] b = run(new Sampler(SamplingParams.defaults().withTopK(0).withSeed(42), 50), logits, 200);
        int[] c = run(new Sampler(SamplingParams.defaults().withTopK(0).withSeed(43), 50), logits, 200);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        Sampler replay = new Sampler(SamplingParams.defaults().withTopK(0).withSeed(42), 50);
        run(replay, logits, 17);
        replay.reset();
        assertThat(run(replay, logits, 200)).as("reset replays from the seed").isEqualTo(a);
    }

    @Test
    void withoutASeedEachSamplerPicksOneAndReportsIt() {
        Sampler first = new Sampler(SamplingParams.defaults(), 10);
        Sampler second = new Sampler(SamplingParams.defaults(), 10);
        assertThat(first.seed()).isNotEqualTo(second.seed());
        float[] logits = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        Sampler again = new Sampler(SamplingParams.defaults().withSeed(first.seed()), 10);
        assertThat(run(again, logits, 100)).isEqualTo(run(first, logits, 100));
    }

    @Test
    void sampleFrequenciesFollowTheSoftmax() {
        float[] logits = {2, 1, 0.5f, 0, -0.5f, -1, -2, 1.5f};
        for (double t : new double[] {1, 0.6}) {
            double[] p = softmax(logits, t);
            Sampler s = new Sampler(PLAIN.withTemperature(t).withSeed(2024), logits.length);
            int draws = 100_000;
            int[] counts = new int[logits.length];
            for (int i = 0; i < draws; i++) {
                counts[s.sample(logits)]++;
            }
            double chiSquare = 0;
            for (int i = 0; i < logits.length; i++) {
                double expected = draws * p[i];
                chiSquare += (counts[i] - expected) * (counts[i] - expected) / expected;
            }
            // 7 degrees of freedom: P(chi2 > 30) is about 1e-4; a wrong distribution at this sample size lands in the
            // hundreds or thousands.
            assertThat(chiSquare).as("chi-square at T = %s, counts %s", t, java.util.Arrays.toString(counts)).isLessThan(30);
        }
    }

    @Test
    void invalidInputIsRefusedNamingTheProblem() {
        Sampler s = new Sampler(PLAIN, 3);
        assertThatThrownBy(() -> s.sample(new float[4])).isInstanceOf(IllegalArgumentException.class).hasMessage("expected 3 logits, got 4");
        assertThatThrownBy(() -> s.sample(new float[] {0, Float.NaN, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("logit of token 1 is NaN");
        assertThatThrownBy(() -> s.sample(new float[] {0, 0, Float.POSITIVE_INFINITY})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("logit of token 2 is Infinity");
        assertThatThrownBy(() -> s.accept(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token 3 is outside the vocabulary of 3 tokens");
        assertThatThrownBy(() -> new Sampler(PLAIN.withLogitBias(Map.of(3, 1.0)), 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("logit_bias token 3 is outside the vocabulary of 3 tokens");
        assertThatThrownBy(() -> new Sampler(PLAIN, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vocabulary size must be > 0, got 0");
    }

    @Test
    void theCallersLogitsAreNotModified() {
        float[] logits = {1, 2, 3, 4};
        Sampler s = new Sampler(PLAIN.withTopK(2).withLogitBias(Map.of(0, -100.0)).withPresencePenalty(1), 4);
        s.accept(3);
        s.sample(logits, TokenMask.allowing(0, 3));
        assertThat(logits).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aStepAllocatesNothingOnceScratchHasGrown() {
        int vocab = 32_000;
        float[] logits = new float[vocab];
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) random.nextGaussian() * 3;
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (SamplingParams params : List.of(SamplingParams.defaults().withSeed(1).withRepetitionPenalty(1.1).withFrequencyPenalty(0.1),
                SamplingParams.greedy().withPresencePenalty(0.5), PLAIN.withTopP(0.9), PLAIN.withMinP(0.1))) {
            Sampler s = new Sampler(params, vocab);
            for (int i = 0; i < 50; i++) {
                s.accept(s.sample(logits));
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50; i++) {
                s.accept(s.sample(logits));
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated by 50 steps with %s", params).isLessThan(4_096);
        }
    }

    private static int[] run(Sampler s, float[] logits, int steps) {
        int[] out = new int[steps];
        for (int i = 0; i < steps; i++) {
            out[i] = s.sample(logits);
            s.accept(out[i]);
        }
        return out;
    }

    /** The ids with non-zero probability, in id order. */
    private static List<Integer> kept(SamplingParams params, float[] logits) {
        double[] p = new Sampler(params, logits.length).distribution(logits, null);
        return IntStream.range(0, p.length).filter(i -> p[i] > 0).boxed().toList();
    }

    private static float[] logitsOf(double... probabilities) {
        float[] l = new float[probabilities.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) Math.log(probabilities[i]);
        }
        return l;
    }

    private static double[] softmax(float[] logits, double t) {
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] / t);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
