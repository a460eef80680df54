package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.sampling.SamplingParams;
import dev.gantry.engine.support.GreedyRun;
import dev.gantry.engine.support.SharedData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EngineWarmupTest {

    private static LocalModel model;

    @BeforeAll
    static void open() {
        model = LocalModel.open(SharedData.resolve("models/stories260K.gguf"), 2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void runsItsStepsAndLeavesAServingEngineThatStartsEmptyAndAnswersAsAlone() throws InterruptedException {
        EngineConfig config = EngineConfig.of(8L << 20);
        long steps = EngineWarmup.run(model, config, Duration.ofSeconds(60));
        assertThat(steps).isGreaterThanOrEqualTo(EngineWarmup.STEPS);

        int[] prompt = model.tokenizer().encode("Once upon a time", true, false);
        try (Engine engine = new Engine(model, config)) {
            assertThat(engine.metrics().steps()).isZero();
            assertThat(engine.metrics().kvBlocksUsed()).isZero();
            Generation g = engine.submit(GenerationRequest.of(prompt, SamplingParams.greedy(), 16));
            List<Integer> tokens = new ArrayList<>();
            for (Generation.Event e = g.next(); ; e = g.next()) {
                if (e.token() >= 0) {
                    tokens.add(e.token());
                }
                if (e.isLast()) {
                    break;
                }
            }
            assertThat(tokens).isEqualTo(GreedyRun.alone(model, prompt, tokens.size()));
        }
    }

    @Test
    void aZeroBudgetRunsNothingAndANegativeOneIsRefused() {
        assertThat(EngineWarmup.run(model, EngineConfig.of(8L << 20), Duration.ZERO)).isZero();
        assertThatThrownBy(() -> EngineWarmup.run(model, EngineConfig.of(8L << 20), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }
}
