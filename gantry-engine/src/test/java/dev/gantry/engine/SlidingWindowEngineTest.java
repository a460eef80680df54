package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.kvcache.KvCacheConfig;
import dev.gantry.engine.kvcache.KvCacheGroups;
import dev.gantry.engine.kvcache.KvShape;
import dev.gantry.engine.sampling.SamplingParams;
import dev.gantry.engine.scheduler.FinishReason;
import dev.gantry.engine.scheduler.SchedulerConfig;
import dev.gantry.engine.support.GreedyRun;
import dev.gantry.engine.support.SharedData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Serving a model with sliding-window layers (Gemma 2: every other layer; Gemma 3: five of every six, window 64 in
 * the tiny models): its local layers get their own block tables, which give blocks back as the window moves, and
 * batched greedy output stays exactly what each prompt gets alone, across prompt chunks, prefix hits and decode.
 */
class SlidingWindowEngineTest {

    private static final int GENERATE = 24;
    private static final SchedulerConfig CHUNKS_OF_48 = new SchedulerConfig(8, 48, 64, true);

    private static int[] randomTokens(Random random, int n, int vocab) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = 3 + random.nextInt(vocab - 3);
        }
        return t;
    }

    private static List<List<Integer>> batched(LocalModel model, EngineConfig config, List<int[]> prompts)
            throws InterruptedException {
        try (Engine engine = new Engine(model, config)) {
            List<Generation> gens = new ArrayList<>();
            for (int[] p : prompts) {
                gens.add(engine.submit(new GenerationRequest(p, SamplingParams.greedy(), GENERATE, null, true, null)));
            }
            List<List<Integer>> outputs = new ArrayList<>();
            for (Generation g : gens) {
                List<Integer> tokens = new ArrayList<>();
                Generation.Event e;
                do {
                    e = g.next(60, TimeUnit.SECONDS);
                    assertThat(e).as("an event within 60 s").isNotNull();
                    if (e.token() >= 0) {
                        tokens.add(e.token());
                    }
                } while (!e.isLast());
                assertThat(e.finish()).as(e.error()).isEqualTo(FinishReason.LENGTH);
                outputs.add(tokens);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (engine.metrics().kvBlocksUsed() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(engine.metrics().kvBlocksUsed()).as("KV blocks held once every request ended").isZero();
            return outputs;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-gemma2-f16.gguf", "tiny-gemma3-f16.gguf"})
    void concurrentPromptsLongerThanTheWindowMatchTheirSingleRuns(String file) throws InterruptedException {
        try (LocalModel model = LocalModel.open(SharedData.model("tiny/" + file), 2)) {
            assertThat(model.transformer().kvShape().groups().groupCount()).as("local and global layers apart").isGreaterThan(1);
            Random random = new Random(11);
            int vocab = model.config().vocabSize();
            int[] shared = randomTokens(random, 130, vocab);
            List<int[]> prompts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int[] tail = randomTokens(random, 5 + 37 * i, vocab);
                int[] p = i % 2 == 0 ? tail : Arrays.copyOf(shared, shared.length + tail.length);
                if (i % 2 == 1) {
                    System.arraycopy(tail, 0, p, shared.length, tail.length);
                }
                prompts.add(p);
            }
            List<List<Integer>> outputs = batched(model, new EngineConfig(CHUNKS_OF_48, KvCacheConfig.of(32L << 20)), prompts);
            for (int i = 0; i < prompts.size(); i++) {
                assertThat(outputs.get(i)).as("%s request %d (%d prompt tokens)", file, i, prompts.get(i).length)
                        .isEqualTo(GreedyRun.alone(model, prompts.get(i), GENERATE));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-gemma2-f16.gguf", "tiny-gemma3-f16.gguf"})
    void aLongPromptRunsInACacheSmallerThanItsWholeKvBecauseWindowsReleaseBlocks(String file) throws InterruptedException {
        try (LocalModel model = LocalModel.open(SharedData.model("tiny/" + file), 2)) {
            int[] prompt = randomTokens(new Random(5), 400, model.config().vocabSize());
            int tokens = prompt.length + GENERATE;
            KvShape shape = model.transformer().kvShape();
            KvCacheConfig unit = KvCacheConfig.of(1);
            int blockSize = unit.blockSize();
            KvCacheGroups groups = shape.groups();
            long memory = groups.blocksFor(tokens, CHUNKS_OF_48.maxBatchTokens(), blockSize) * unit.blockBytes(shape);
            long wholeKv = (long) Math.ceilDiv(tokens, blockSize) * unit.blockBytes(shape.ungrouped());
            assertThat(memory).as("the budget is below the KV of every position in every layer").isLessThan(wholeKv);

            List<List<Integer>> outputs = batched(model, new EngineConfig(CHUNKS_OF_48, KvCacheConfig.of(memory)),
                    List.of(prompt));
            assertThat(outputs.getFirst()).isEqualTo(GreedyRun.alone(model, prompt, GENERATE));
        }
    }
}
