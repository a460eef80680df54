package dev.gantry.engine;

import dev.gantry.engine.sampling.SamplingParams;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a throwaway {@link Engine} on a model under synthetic load before the model serves, so that the JIT has
 * compiled the kernels, the scheduler and the sampler by the first request. Until C2 compiles a Vector API kernel
 * it runs the API's Java fallback, boxed and tens of times slower: in {@code gantry bench serve} on stories260K the
 * first few hundred requests see a p99 time to first token about half as long again as later ones.
 *
 * <p>Compiled code belongs to the JVM, not to an engine: what the throwaway engine warms the serving engine runs,
 * while the serving engine's cache, prefix cache and metrics start empty (vLLM likewise runs dummy batches before
 * it serves). Clients arrive and leave at different times, with prompts and outputs of different lengths, so steps
 * mix prefill chunks with decodes as real traffic does; half sample greedily, half with the default sampler.
 */
public final class EngineWarmup {

    /** Steps that compile what serving runs: the kernels' callers run many thousand times over them. */
    static final int STEPS = 300;

    private EngineWarmup() {
    }

    /**
     * Runs {@code config}'s engine on {@code model} for {@link #STEPS} steps or {@code budget}, whichever ends first
     * (nothing if the budget is zero), then closes it: the KV cache it allocated is freed before the caller
     * allocates the serving engine's.
     *
     * @return the steps it ran
     */
    public static long run(LocalModel model, EngineConfig config, Duration budget) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("the warm-up must not be negative, got " + budget);
        }
        if (budget.isZero() || !model.canGenerate()) {
            return 0;
        }
        Instant end = Instant.now().plus(budget);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        long steps = 0;
        try (Engine engine = new Engine(model, config)) {
            for (int c = 0; c < config.scheduler().maxRunning(); c++) {
                int client = c;
                clients.add(Thread.ofVirtual().name("gantry-warmup-" + c).start(() -> client(engine, model, client, stop)));
            }
            while (Instant.now().isBefore(end) && engine.metrics().steps() < STEPS) {
                Thread.sleep(10);
            }
            stop.set(true);
            steps = engine.metrics().steps();
            // closing ends what is still running as cancelled, which releases every client
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
        }
        for (Thread t : clients) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return steps;
    }

    /** One client: request after request until {@code stop}. */
    private static void client(Engine engine, LocalModel model, int client, AtomicBoolean stop) {
        Random rnd = new Random(client);
        int vocab = model.config().vocabSize();
        int context = model.config().contextLength();
        int longest = Math.max(1, Math.min(256, context / 4));
        while (!stop.get()) {
            int[] prompt = rnd.ints(1 + rnd.nextInt(longest), 0, vocab).toArray();
            int maxTokens = 1 + rnd.nextInt(Math.max(1, Math.min(64, context - prompt.length - 1)));
            SamplingParams sampling = client % 2 == 0 ? SamplingParams.greedy() : SamplingParams.defaults();
            try {
                Generation g = engine.submit(new GenerationRequest(prompt, sampling, maxTokens, null, true, "warmup"));
                while (!g.next().isLast()) {
                    // the tokens themselves do not matter
                }
            } catch (RuntimeException e) {
                // the engine closed, or refused a request too large for its cache: the warm-up is best effort
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
