package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.kvcache.KvCacheConfig;
import dev.gantry.engine.sampling.SamplingParams;
import dev.gantry.engine.scheduler.FinishReason;
import dev.gantry.engine.scheduler.OverloadedException;
import dev.gantry.engine.scheduler.SchedulerConfig;
import dev.gantry.engine.support.GreedyRun;
import dev.gantry.engine.support.SharedData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Continuous batching gives every request exactly the tokens it gets alone: with many concurrent requests of
 * different lengths, with shared prefixes, with prompts split over steps, and after preemptions.
 */
class EngineTest {

    private static final int GENERATE = 24;
    private static LocalModel model;

    @BeforeAll
    static void open() {
        model = LocalModel.open(SharedData.resolve("models/stories260K.gguf"), 2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<int[]> prompts(int n, String sharedPrefix) {
        String[] words = {"Once", "upon", "a", "time", "Lily", "and", "Tom", "went", "to", "the", "park", "with", "a", "big", "dog"};
        Random random = new Random(7);
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder text = new StringBuilder(sharedPrefix);
            for (int w = 0; w < 1 + (i * 7) % 40; w++) {
                text.append(text.isEmpty() ? "" : " ").append(words[random.nextInt(words.length)]);
            }
            prompts.add(model.tokenizer().encode(text.toString(), true, false));
        }
        return prompts;
    }

    private static List<Integer> alone(int[] prompt) {
        return GreedyRun.alone(model, prompt, GENERATE);
    }

    private static List<List<Integer>> batched(EngineConfig config, List<int[]> prompts) throws InterruptedException {
        try (Engine engine = new Engine(model, config)) {
            List<Generation> gens = new ArrayList<>();
            for (int[] p : prompts) {
                gens.add(engine.submit(new GenerationRequest(p, SamplingParams.greedy(), GENERATE, null, true, null)));
            }
            List<List<Integer>> outputs = new ArrayList<>();
            for (Generation g : gens) {
                outputs.add(collect(g));
            }
            awaitIdle(engine);
            return outputs;
        }
    }

    /** Metrics are a snapshot taken after each step: wait for the one after the last event. */
    private static void awaitIdle(Engine engine) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((engine.metrics().kvBlocksUsed() > 0 || engine.metrics().running() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(engine.metrics().kvBlocksUsed()).as("KV blocks held once every request ended").isZero();
        assertThat(engine.metrics().running()).as("running sequences").isZero();
        assertThat(engine.metrics().waiting()).as("waiting sequences").isZero();
    }

    private static List<Integer> collect(Generation g) throws InterruptedException {
        List<Integer> tokens = new ArrayList<>();
        while (true) {
            Generation.Event e = g.next(60, TimeUnit.SECONDS);
            assertThat(e).as("an event within 60 s (no hang)").isNotNull();
            if (e.token() >= 0) {
                tokens.add(e.token());
            }
            if (e.isLast()) {
                assertThat(e.finish()).as(e.error()).isIn(FinishReason.LENGTH, FinishReason.STOP);
                return tokens;
            }
        }
    }

    private static void assertSameAsAlone(EngineConfig config, List<int[]> prompts) throws InterruptedException {
        List<List<Integer>> outputs = batched(config, prompts);
        for (int i = 0; i < prompts.size(); i++) {
            assertThat(outputs.get(i)).as("request %d (%d prompt tokens)", i, prompts.get(i).length).isEqualTo(alone(prompts.get(i)));
        }
    }

    @Test
    void thirtyTwoConcurrentRequestsMatchTheirSingleRuns() throws InterruptedException {
        assertSameAsAlone(new EngineConfig(new SchedulerConfig(32, 512, 64, true), KvCacheConfig.of(64L << 20)), prompts(32, ""));
    }

    @Test
    void sharedPrefixesHitTheCacheAndStillMatch() throws InterruptedException {
        String prefix = "Once upon a time there was a little girl named Lily who loved to play in the park with her dog";
        List<int[]> prompts = prompts(12, prefix);
        EngineConfig config = new EngineConfig(new SchedulerConfig(4, 512, 64, true), KvCacheConfig.of(64L << 20));
        try (Engine engine = new Engine(model, config)) {
            for (int[] p : prompts) {
                collect(engine.submit(new GenerationRequest(p, SamplingParams.greedy(), GENERATE, null, true, null)));
            }
            assertThat(engine.metrics().prefixHitRate()).as("prefix hit rate").isPositive();
        }
        assertSameAsAlone(config, prompts);
    }

    @Test
    void chunkedPrefillMatches() throws InterruptedException {
        assertSameAsAlone(new EngineConfig(new SchedulerConfig(8, 7, 64, true), KvCacheConfig.of(64L << 20)), prompts(8, ""));
    }

    @Test
    void preemptedRequestsAreRecomputedAndMatch() throws InterruptedException {
        // 12 blocks of 16 tokens for 8 requests of up to ~60 tokens each: some must be preempted.
        KvCacheConfig kv = KvCacheConfig.of(1);
        long blockBytes = kv.blockBytes(model.transformer().kvShape());
        EngineConfig config = new EngineConfig(new SchedulerConfig(8, 512, 64, true), KvCacheConfig.of(12 * blockBytes));
        List<int[]> prompts = prompts(8, "");
        List<List<Integer>> expected = prompts.stream().map(EngineTest::alone).toList();
        try (Engine engine = new Engine(model, config)) {
            List<Generation> gens = new ArrayList<>();
            for (int[] p : prompts) {
                gens.add(engine.submit(new GenerationRequest(p, SamplingParams.greedy(), GENERATE, null, true, null)));
            }
            for (int i = 0; i < gens.size(); i++) {
                assertThat(collect(gens.get(i))).as("request %d", i).isEqualTo(expected.get(i));
            }
            awaitIdle(engine);
            assertThat(engine.metrics().preemptions()).as("preemptions").isPositive();
        }
    }

    @Test
    void cancelEndsTheGenerationAndFreesItsBlocks() throws InterruptedException {
        try (Engine engine = new Engine(model, EngineConfig.of(16L << 20))) {
            Generation g = engine.submit(new GenerationRequest(prompts(1, "").getFirst(), SamplingParams.greedy(), 1000, null, true, null));
            assertThat(g.next(30, TimeUnit.SECONDS)).isNotNull();
            engine.cancel(g.id());
            Generation.Event e;
            do {
                e = g.next(30, TimeUnit.SECONDS);
                assertThat(e).isNotNull();
            } while (!e.isLast());
            assertThat(e.finish()).isEqualTo(FinishReason.CANCELLED);
            awaitIdle(engine);
        }
    }

    @Test
    void logprobsReportTheSampledTokenAndItsAlternatives() throws InterruptedException {
        try (Engine engine = new Engine(model, EngineConfig.of(16L << 20))) {
            Generation g = engine.submit(new GenerationRequest(prompts(1, "").getFirst(), SamplingParams.greedy(), 6, null, true, null, 3));
            int seen = 0;
            Generation.Event e;
            do {
                e = g.next(30, TimeUnit.SECONDS);
                assertThat(e).isNotNull();
                if (e.token() >= 0) {
                    seen++;
                    assertThat(e.logprobs().token()).isEqualTo(e.token());
                    assertThat(e.logprobs().top()).hasSize(3);
                    assertThat(e.logprobs().top().getFirst().token()).as("greedy picks the best").isEqualTo(e.token());
                    assertThat(e.logprobs().logprob()).isEqualTo(e.logprobs().top().getFirst().logprob()).isNegative();
                }
            } while (!e.isLast());
            assertThat(seen).isEqualTo(6);
            Generation plain = engine.submit(GenerationRequest.of(prompts(1, "").getFirst(), SamplingParams.greedy(), 2));
            assertThat(plain.next(30, TimeUnit.SECONDS).logprobs()).as("none unless asked").isNull();
        }
    }

    @Test
    void aSubmitRacingCloseEndsCancelledInsteadOfHanging() throws InterruptedException {
        int[] prompt = prompts(1, "").get(0);
        for (int round = 0; round < 50; round++) {
            Engine engine = new Engine(model, EngineConfig.of(8L << 20));
            List<Generation> gens = new ArrayList<>();
            Thread submitter = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200; i++) {
                    try {
                        gens.add(engine.submit(GenerationRequest.of(prompt, SamplingParams.greedy(), 4)));
                    } catch (IllegalStateException | OverloadedException e) {
                        return;
                    }
                }
            });
            Thread.sleep(round % 5);
            engine.close();
            submitter.join();
            for (Generation g : gens) {
                Generation.Event e;
                do {
                    e = g.next(10, TimeUnit.SECONDS);
                    assertThat(e).as("round %d: an event of generation %d", round, g.id()).isNotNull();
                } while (!e.isLast());
            }
        }
    }

    @Test
    void aFullQueueRefusesAtOnce() {
        EngineConfig config = new EngineConfig(new SchedulerConfig(1, 512, 2, true), KvCacheConfig.of(16L << 20));
        try (Engine engine = new Engine(model, config)) {
            int[] p = prompts(1, "").getFirst();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    engine.submit(new GenerationRequest(p, SamplingParams.greedy(), 200, null, true, null));
                }
            }).isInstanceOf(OverloadedException.class).hasMessageContaining("queue is full");
        }
    }

    @Test
    void requestsThatCannotFitAreRefusedClearly() {
        try (Engine engine = new Engine(model, EngineConfig.of(16L << 20))) {
            assertThatThrownBy(() -> engine.submit(GenerationRequest.of(new int[] {1, 99999}, SamplingParams.greedy(), 4)))
                    .hasMessageContaining("outside the vocabulary");
            assertThatThrownBy(() -> engine.submit(GenerationRequest.of(new int[3000], SamplingParams.greedy(), 4)))
                    .hasMessageContaining("context holds 2048");
        }
    }

    @Test
    void aTinyCacheUnderRandomLoadFinishesEverythingCleanly() throws InterruptedException {
        long blockBytes = KvCacheConfig.of(1).blockBytes(model.transformer().kvShape());
        EngineConfig config = new EngineConfig(new SchedulerConfig(6, 32, 200, true), KvCacheConfig.of(10 * blockBytes));
        Random random = new Random(11);
        List<int[]> prompts = prompts(40, "");
        try (Engine engine = new Engine(model, config)) {
            List<Generation> gens = new ArrayList<>();
            for (int[] p : prompts) {
                int max = Math.min(1 + random.nextInt(40), 160 - p.length);
                gens.add(engine.submit(new GenerationRequest(p, SamplingParams.defaults().withSeed(random.nextLong()), max, null, false, null)));
                if (random.nextInt(4) == 0) {
                    engine.cancel(gens.get(random.nextInt(gens.size())).id());
                }
            }
            for (Generation g : gens) {
                Generation.Event e;
                do {
                    e = g.next(60, TimeUnit.SECONDS);
                    assertThat(e).as("no hang").isNotNull();
                } while (!e.isLast());
                assertThat(e.finish()).isIn(FinishReason.STOP, FinishReason.LENGTH, FinishReason.CANCELLED);
            }
            awaitIdle(engine);
        }
    }
}
