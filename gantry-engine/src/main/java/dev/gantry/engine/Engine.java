package dev.gantry.engine;

import dev.gantry.engine.grammar.TokenVocabulary;
import dev.gantry.engine.kvcache.KvCacheManager;
import dev.gantry.engine.kvcache.KvUsage;
import dev.gantry.engine.model.Transformer;
import dev.gantry.engine.runner.ModelRunner;
import dev.gantry.engine.sampling.Sampler;
import dev.gantry.engine.sampling.TokenConstraint;
import dev.gantry.engine.scheduler.FinishReason;
import dev.gantry.engine.scheduler.OverloadedException;
import dev.gantry.engine.scheduler.ScheduledChunk;
import dev.gantry.engine.scheduler.Scheduler;
import dev.gantry.engine.scheduler.Sequence;
import dev.gantry.engine.scheduler.StepPlan;
import dev.gantry.engine.scheduler.StepResult;
import dev.gantry.engine.scheduler.TokenEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;

/**
 * The serving engine: many requests at once on one model, by continuous batching over a paged KV cache. One loop
 * thread owns the scheduler, the cache and the runner; callers talk to it through {@link #submit} and
 * {@link #cancel}, which only enqueue. Each step: plan, run, update.
 */
public final class Engine implements AutoCloseable {

    private final LocalModel model;
    private final EngineConfig config;
    private final KvCacheManager kv;
    private final Scheduler scheduler;
    private final ModelRunner runner;
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final Map<Long, Active> active = new HashMap<>(); // loop thread only
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger queued = new AtomicInteger();
    private final Thread loop;
    private volatile boolean closed;
    private volatile EngineMetrics metrics;
    private long steps;
    private long stepNanos;
    private long promptTokens;
    private long generatedTokens;
    private TokenVocabulary vocabulary; // built on the first request with a grammar; see tokenVocabulary()

    private record Submit(Sequence seq, Generation generation, Sampler sampler, Instant deadline, int logprobs) {
    }

    private record Cancel(long id) {
    }

    private static final class Active {
        final Sequence seq;
        final Generation generation;
        final Sampler sampler;
        final Instant deadline;
        final int promptLength;
        final int logprobs;
        boolean started;

        Active(Submit s) {
            this.seq = s.seq();
            this.generation = s.generation();
            this.sampler = s.sampler();
            this.deadline = s.deadline();
            this.promptLength = s.seq().promptLength();
            this.logprobs = s.logprobs();
        }
    }

    public Engine(LocalModel model, EngineConfig config) {
        this.model = model;
        this.config = config;
        Transformer transformer = model.transformer();
        this.kv = new KvCacheManager(config.kvCache(), transformer.kvShape());
        this.scheduler = new Scheduler(config.scheduler(), kv);
        this.runner = new ModelRunner(transformer, kv);
        this.metrics = snapshot();
        this.loop = Thread.ofPlatform().name("gantry-engine").daemon().start(this::run);
    }

    /**
     * Queues a request. Fails at once, queueing nothing, with {@link OverloadedException} when the waiting queue
     * is full and with {@link IllegalArgumentException} when the request cannot fit the model or the cache.
     */
    public Generation submit(GenerationRequest request) {
        if (closed) {
            throw new IllegalStateException("the engine is shut down");
        }
        int context = model.config().contextLength();
        int vocab = model.config().vocabSize();
        int[] prompt = request.prompt();
        for (int t : prompt) {
            if (t < 0 || t >= vocab) {
                throw new IllegalArgumentException("token id " + t + " is outside the vocabulary (0.." + (vocab - 1) + ")");
            }
        }
        if (prompt.length >= context) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens; the context holds " + context);
        }
        int needed = Math.min(context, prompt.length + request.maxTokens());
        int chunk = config.scheduler().chunkedPrefill() ? config.scheduler().maxBatchTokens() : prompt.length;
        long blocks = kv.blocksFor(needed, chunk);
        if (blocks > kv.usage().totalBlocks()) {
            throw new IllegalArgumentException("the request needs " + needed + " tokens of KV cache (" + blocks
                    + " blocks of " + kv.blockSize() + " tokens); the cache has " + kv.usage().totalBlocks() + " blocks");
        }
        if (!config.scheduler().chunkedPrefill() && prompt.length > config.scheduler().maxBatchTokens()) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens; without chunked prefill a step takes "
                    + config.scheduler().maxBatchTokens());
        }
        if (queued.incrementAndGet() > config.scheduler().maxWaiting()) {
            queued.decrementAndGet();
            throw new OverloadedException("the queue is full (" + config.scheduler().maxWaiting() + " requests waiting); retry later");
        }
        long id = ids.incrementAndGet();
        IntPredicate eog = request.ignoreEos() ? t -> false : model.tokenizer()::isEndOfGeneration;
        TokenConstraint constraint = request.grammar() == null ? null : request.grammar().matcher(tokenVocabulary());
        Sequence seq = new Sequence(id, prompt, request.maxTokens(), context, eog, request.tenant(), constraint);
        Generation generation = new Generation(id, prompt.length);
        Sampler sampler = new Sampler(request.sampling(), vocab);
        for (int t : prompt) {
            sampler.accept(t);
        }
        inbox.add(new Submit(seq, generation, sampler, request.deadline(), request.logprobs()));
        LockSupport.unpark(loop);
        if (closed) {
            // close() raced this submit: the loop may have drained its inbox for the last time
            cancelQueued();
        }
        return generation;
    }

    /** The model's vocabulary as grammar masks walk it, built once on first use (any thread). */
    public synchronized TokenVocabulary tokenVocabulary() {
        if (vocabulary == null) {
            vocabulary = TokenVocabulary.of(model.tokenizer());
        }
        return vocabulary;
    }

    /** Ends a generation with {@link FinishReason#CANCELLED}; its KV blocks are freed at the next step. */
    public void cancel(long id) {
        inbox.add(new Cancel(id));
        LockSupport.unpark(loop);
    }

    public EngineMetrics metrics() {
        return metrics;
    }

    private void run() {
        while (!closed) {
            drainInbox();
            expireDeadlines();
            if (!scheduler.hasWork()) {
                metrics = snapshot();
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            try {
                step();
            } catch (RuntimeException e) {
                // A broken invariant must not kill the loop silently: fail what is in flight, keep serving.
                for (Long id : List.copyOf(active.keySet())) {
                    finish(id, FinishReason.ERROR, "engine step failed: " + e);
                }
            }
            metrics = snapshot();
        }
        drainInbox();
        for (Map.Entry<Long, Active> e : active.entrySet()) {
            scheduler.abort(e.getKey());
            e.getValue().generation.emit(new Generation.Event(-1, FinishReason.CANCELLED, "the engine shut down"));
        }
        active.clear();
    }

    private void step() {
        long start = System.nanoTime();
        StepPlan plan = scheduler.schedule();
        if (plan.isEmpty()) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
            return;
        }
        StepResult result;
        try {
            result = runner.run(plan, id -> active.get(id).sampler, id -> active.get(id).logprobs,
                    id -> active.get(id).seq.constraint());
        } catch (RuntimeException e) {
            for (ScheduledChunk c : plan.chunks()) {
                finish(c.seqId(), FinishReason.ERROR, "inference failed: " + e.getMessage());
            }
            return;
        }
        for (ScheduledChunk c : plan.chunks()) {
            Active a = active.get(c.seqId());
            if (a != null && !a.started) {
                a.started = true;
                queued.decrementAndGet();
            }
            if (a != null) {
                promptTokens += Math.max(0, Math.min(c.start() + c.length(), a.promptLength) - c.start());
            }
        }
        List<TokenEvent> events = scheduler.update(plan, result);
        for (TokenEvent e : events) {
            Active a = active.get(e.seqId());
            generatedTokens++;
            a.generation.emit(new Generation.Event(e.token(), e.finish(), null, result.logprobs().get(e.seqId())));
            if (e.finish() != null) {
                active.remove(e.seqId());
            }
        }
        steps++;
        stepNanos += System.nanoTime() - start;
    }

    private void drainInbox() {
        Object command;
        while ((command = inbox.poll()) != null) {
            if (command instanceof Submit s) {
                scheduler.add(s.seq());
                active.put(s.seq().id(), new Active(s));
            } else if (command instanceof Cancel c) {
                finish(c.id(), FinishReason.CANCELLED, null);
            }
        }
    }

    private void expireDeadlines() {
        Instant now = Instant.now();
        List<Long> expired = new ArrayList<>();
        for (Map.Entry<Long, Active> e : active.entrySet()) {
            if (e.getValue().deadline != null && now.isAfter(e.getValue().deadline)) {
                expired.add(e.getKey());
            }
        }
        for (long id : expired) {
            finish(id, FinishReason.CANCELLED, "the deadline passed");
        }
    }

    private void finish(long id, FinishReason reason, String error) {
        Active a = active.remove(id);
        if (a == null) {
            return;
        }
        scheduler.abort(id);
        if (!a.started) {
            queued.decrementAndGet();
        }
        a.generation.emit(new Generation.Event(-1, reason, error));
    }

    private EngineMetrics snapshot() {
        KvUsage usage = kv.usage();
        return new EngineMetrics(scheduler.runningCount(), scheduler.waitingCount(), usage.usedBlocks(), usage.totalBlocks(),
                kv.prefixHitRate(), scheduler.preemptions(), promptTokens, generatedTokens, steps,
                steps == 0 ? 0 : stepNanos / 1e6 / steps);
    }

    /** Stops the loop; unfinished generations end with {@link FinishReason#CANCELLED}. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(loop);
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cancelQueued();
        kv.close();
    }

    /** Ends every submit still in the inbox once the engine is closed (each is taken from the queue once). */
    private void cancelQueued() {
        for (Object command = inbox.poll(); command != null; command = inbox.poll()) {
            if (command instanceof Submit s) {
                s.generation().emit(new Generation.Event(-1, FinishReason.CANCELLED, "the engine shut down"));
            }
        }
    }
}
