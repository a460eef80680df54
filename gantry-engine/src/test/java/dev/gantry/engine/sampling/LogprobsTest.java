package dev.gantry.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LogprobsTest {

    @Test
    void logprobsAreTheLogOfTheSoftmax() {
        float[] logits = {1, 2, 0.5f, -1};
        double z = Math.exp(1) + Math.exp(2) + Math.exp(0.5) + Math.exp(-1);
        for (int i = 0; i < logits.length; i++) {
            assertThat(Logprobs.of(logits, i)).isCloseTo(Math.log(Math.exp(logits[i]) / z), within(1e-12));
        }
    }

    @Test
    void hugeLogitsDoNotOverflow() {
        float[] logits = {10_000, 9_999, -10_000};
        assertThat(Logprobs.of(logits, 0)).isCloseTo(-Math.log1p(Math.exp(-1)), within(1e-9));
        assertThat(Logprobs.of(logits, 1)).isCloseTo(-1 - Math.log1p(Math.exp(-1)), within(1e-9));
        assertThat(Logprobs.of(logits, 2)).isCloseTo(-20_000 - Math.log1p(Math.exp(-1)), within(1e-6));
        assertThat(Logprobs.of(new float[] {Float.NEGATIVE_INFINITY, 3}, 0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Logprobs.of(new float[] {Float.NEGATIVE_INFINITY, 3}, 1)).isZero();
    }

    @Test
    void topListsTheMostLikelyBestFirstWithTiesByLowerId() {
        float[] logits = {0, 3, 1, 3, -2, 2};
        List<TokenLogprob> top = Logprobs.top(logits, 4);
        assertThat(top).extracting(TokenLogprob::token).containsExactly(1, 3, 5, 2);
        for (TokenLogprob t : top) {
            assertThat(t.logprob()).isCloseTo(Logprobs.of(logits, t.token()), within(1e-12));
        }
        assertThat(top.get(0).probability()).isCloseTo(Math.exp(3) / (1 + 2 * Math.exp(3) + Math.exp(1) + Math.exp(-2) + Math.exp(2)), within(1e-12));
        assertThat(Logprobs.top(logits, 0)).isEmpty();
        assertThat(Logprobs.top(logits, 100)).hasSize(6);
        assertThat(Logprobs.top(new float[] {Float.NEGATIVE_INFINITY, 1}, 2)).extracting(TokenLogprob::token).containsExactly(1);
    }

    @Test
    void topOfALargeVocabularyMatchesAFullSort() {
        int n = 151_936;
        float[] logits = new float[n];
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < n; i++) {
            logits[i] = (float) Math.round(random.nextGaussian() * 40) / 8; // coarse values, so ties occur
        }
        List<Integer> expected = IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i)).limit(20).toList();
        assertThat(Logprobs.top(logits, 20)).extracting(TokenLogprob::token).containsExactlyElementsOf(expected);
        double logZ = Logprobs.logSumExp(logits);
        assertThat(IntStream.range(0, n).mapToDouble(i -> Math.exp(logits[i] - logZ)).sum()).isCloseTo(1, within(1e-9));
        assertThat(Logprobs.of(logits, expected.get(0))).isCloseTo(logits[expected.get(0)] - logZ, within(1e-12));
    }

    @Test
    void aDistributionMustExist() {
        assertThatThrownBy(() -> Logprobs.of(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("every one of the 2 logits is -Infinity: no distribution");
        assertThatThrownBy(() -> Logprobs.top(new float[] {1, Float.NaN}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("logit of token 1 is NaN");
        assertThatThrownBy(() -> Logprobs.of(new float[] {1, 2}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("token 2 is outside the 2 logits");
        assertThatThrownBy(() -> Logprobs.top(new float[] {1, 2}, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("k must be >= 0, got -1");
    }
}
