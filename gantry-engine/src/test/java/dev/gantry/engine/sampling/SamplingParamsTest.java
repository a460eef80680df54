package dev.gantry.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SamplingParamsTest {

    private static final SamplingParams D = SamplingParams.defaults();

    @Test
    void defaultsAreLlamaCppDefaults() {
        assertThat(D.temperature()).isEqualTo(0.8);
        assertThat(D.topK()).isEqualTo(40);
        assertThat(D.topP()).isEqualTo(0.95);
        assertThat(D.minP()).isEqualTo(0.05);
        assertThat(D.repetitionPenalty()).isEqualTo(1);
        assertThat(D.presencePenalty()).isZero();
        assertThat(D.frequencyPenalty()).isZero();
        assertThat(D.repeatLastN()).isEqualTo(64);
        assertThat(D.seed()).isEmpty();
        assertThat(D.logitBias()).isEmpty();
        assertThat(D.isGreedy()).isFalse();
        assertThat(D.hasPenalties()).isFalse();
    }

    @Test
    void greedyIsTemperatureZeroWithEveryFilterOff() {
        SamplingParams g = SamplingParams.greedy();
        assertThat(g.isGreedy()).isTrue();
        assertThat(g.topK()).isZero();
        assertThat(g.topP()).isEqualTo(1);
        assertThat(g.minP()).isZero();
        assertThat(g.hasPenalties()).isFalse();
    }

    @Test
    void withersChangeOneFieldAndValidateIt() {
        SamplingParams p = D.withTemperature(0.3).withTopK(5).withTopP(0.5).withMinP(0.1).withRepetitionPenalty(1.1)
                .withPresencePenalty(-1).withFrequencyPenalty(2).withRepeatLastN(16).withSeed(7).withLogitBias(Map.of(3, -100.0));
        assertThat(p).isEqualTo(new SamplingParams(0.3, 5, 0.5, 0.1, 1.1, -1, 2, 16, OptionalLong.of(7), Map.of(3, -100.0)));
        assertThat(p.hasPenalties()).isTrue();
        assertThat(p.withRepeatLastN(0).hasPenalties()).as("a window of 0 disables every penalty").isFalse();
        assertThatThrownBy(() -> p.withTopP(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLogitBiasMapIsCopied() {
        Map<Integer, Double> bias = new HashMap<>(Map.of(1, 2.0));
        SamplingParams p = D.withLogitBias(bias);
        bias.put(2, 3.0);
        assertThat(p.logitBias()).containsOnlyKeys(1);
        assertThatThrownBy(() -> p.logitBias().put(5, 1.0)).isInstanceOf(UnsupportedOperationException.class);
    }

    static Stream<Arguments> invalid() {
        Map<Integer, Double> negativeToken = new HashMap<>();
        negativeToken.put(-3, 1.0);
        Map<Integer, Double> nullBias = new HashMap<>();
        nullBias.put(4, null);
        return Stream.of(
                bad(() -> D.withTemperature(-0.1), "temperature must be a finite number >= 0 (0 = greedy), got -0.1"),
                bad(() -> D.withTemperature(Double.NaN), "temperature must be a finite number >= 0 (0 = greedy), got NaN"),
                bad(() -> D.withTemperature(Double.POSITIVE_INFINITY), "temperature must be a finite number >= 0 (0 = greedy), got Infinity"),
                bad(() -> D.withTopK(-1), "top_k must be >= 0 (0 = off), got -1"),
                bad(() -> D.withTopP(0), "top_p must be in (0, 1] (1 = off), got 0.0"),
                bad(() -> D.withTopP(1.01), "top_p must be in (0, 1] (1 = off), got 1.01"),
                bad(() -> D.withTopP(Double.NaN), "top_p must be in (0, 1] (1 = off), got NaN"),
                bad(() -> D.withMinP(-0.01), "min_p must be in [0, 1] (0 = off), got -0.01"),
                bad(() -> D.withMinP(1.5), "min_p must be in [0, 1] (0 = off), got 1.5"),
                bad(() -> D.withRepetitionPenalty(0), "repetition_penalty must be a finite number > 0 (1 = off), got 0.0"),
                bad(() -> D.withRepetitionPenalty(-1.1), "repetition_penalty must be a finite number > 0 (1 = off), got -1.1"),
                bad(() -> D.withPresencePenalty(2.5), "presence_penalty must be in [-2, 2], got 2.5"),
                bad(() -> D.withPresencePenalty(Double.NaN), "presence_penalty must be in [-2, 2], got NaN"),
                bad(() -> D.withFrequencyPenalty(-2.01), "frequency_penalty must be in [-2, 2], got -2.01"),
                bad(() -> D.withRepeatLastN(-1), "repeat_last_n must be >= 0 (0 = no penalties), got -1"),
                bad(() -> D.withLogitBias(negativeToken), "logit_bias token ids must be >= 0, got -3"),
                bad(() -> D.withLogitBias(Map.of(5, 100.5)), "logit_bias for token 5 must be in [-100, 100], got 100.5"),
                bad(() -> D.withLogitBias(Map.of(5, -101.0)), "logit_bias for token 5 must be in [-100, 100], got -101.0"),
                bad(() -> D.withLogitBias(nullBias), "logit_bias for token 4 must be in [-100, 100], got null"),
                bad(() -> D.withLogitBias(null), "logit_bias must be a map (empty for none), not null"),
                bad(() -> new SamplingParams(1, 0, 1, 0, 1, 0, 0, 64, null, Map.of()), "seed must be given or empty, not null"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void invalidValuesAreRefusedWithTheirNameAndRange(Supplier<SamplingParams> make, String message) {
        assertThatThrownBy(make::get).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    private static Arguments bad(Supplier<SamplingParams> make, String message) {
        return Arguments.of(make, message);
    }
}
