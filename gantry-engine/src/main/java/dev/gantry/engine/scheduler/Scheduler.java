package dev.gantry.engine.scheduler;

import dev.gantry.engine.kvcache.KvCacheManager;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Iteration-level scheduling (Orca, OSDI 2022) over a paged KV cache (vLLM). Each step spends a token budget:
 * running sequences first (their next token, or the next chunk of a long prompt), then waiting ones in arrival
 * order, reusing their longest cached prefix. When blocks run out, the newest running sequence is preempted: its
 * blocks are freed and it returns to the front of the queue, to be recomputed.
 *
 * <p>Not thread-safe: the engine loop owns it.
 */
public final class Scheduler {

    private final SchedulerConfig config;
    private final KvCacheManager kv;
    private final Deque<Sequence> waiting = new ArrayDeque<>();
    private final List<Sequence> running = new ArrayList<>();
    private long preemptions;

    public Scheduler(SchedulerConfig config, KvCacheManager kv) {
        this.config = config;
        this.kv = kv;
    }

    /** Queues a sequence, or refuses it at once when the queue is full. */
    public void add(Sequence seq) {
        if (waiting.size() >= config.maxWaiting()) {
            throw new OverloadedException("the queue is full (" + config.maxWaiting() + " requests waiting); retry later");
        }
        waiting.addLast(seq);
    }

    public StepPlan schedule() {
        int budget = config.maxBatchTokens();
        List<ScheduledChunk> chunks = new ArrayList<>();
        List<Long> preempted = new ArrayList<>();
        for (int i = 0; i < running.size() && budget > 0; ) {
            Sequence seq = running.get(i);
            int n = Math.min(seq.length() - seq.computed(), budget);
            if (allocateOrPreempt(seq, n, preempted)) {
                chunks.add(chunk(seq, n));
                budget -= n;
                i++;
            }
        }
        while (preempted.isEmpty() && budget > 0 && running.size() < config.maxRunning() && !waiting.isEmpty()) {
            Sequence seq = waiting.peekFirst();
            int cached = kv.computedPrefix(seq.tokens());
            int remaining = seq.length() - cached;
            if (!config.chunkedPrefill() && remaining > budget) {
                break;
            }
            int n = Math.min(remaining, budget);
            if (!kv.allocateSlots(seq.id(), seq.tokens(), n)) {
                break;
            }
            seq.computed(kv.computedTokens(seq.id()));
            waiting.pollFirst();
            running.add(seq);
            chunks.add(chunk(seq, n));
            budget -= n;
        }
        return new StepPlan(chunks, preempted);
    }

    /** Gives {@code seq} slots for n tokens, preempting the newest sequences as needed; false if seq itself went. */
    private boolean allocateOrPreempt(Sequence seq, int n, List<Long> preempted) {
        while (!kv.allocateSlots(seq.id(), seq.tokenArray(), n)) {
            Sequence victim = running.removeLast();
            kv.free(victim.id());
            victim.computed(0);
            waiting.addFirst(victim);
            preempted.add(victim.id());
            preemptions++;
            if (victim == seq) {
                return false;
            }
        }
        return true;
    }

    private static ScheduledChunk chunk(Sequence seq, int n) {
        int start = seq.computed();
        int[] tokens = java.util.Arrays.copyOfRange(seq.tokenArray(), start, start + n);
        return new ScheduledChunk(seq.id(), start, tokens, start + n == seq.length());
    }

    /** Applies a step's result: commits computed tokens, appends samples, retires finished sequences. */
    public List<TokenEvent> update(StepPlan plan, StepResult result) {
        List<TokenEvent> events = new ArrayList<>();
        for (ScheduledChunk c : plan.chunks()) {
            Sequence seq = find(c.seqId());
            if (seq == null) {
                continue; // aborted during the step
            }
            int computed = c.start() + c.length();
            kv.commitComputed(seq.id(), computed);
            seq.computed(computed);
            if (c.sample()) {
                Integer token = result.sampled().get(seq.id());
                if (token == null) {
                    throw new IllegalStateException("the runner sampled nothing for sequence " + seq.id());
                }
                FinishReason finish = seq.append(token);
                events.add(new TokenEvent(seq.id(), token, finish));
                if (finish != null) {
                    retire(seq);
                }
            }
        }
        return events;
    }

    /** Removes a sequence wherever it is and frees its blocks; false if it is unknown (already finished). */
    public boolean abort(long seqId) {
        Sequence seq = find(seqId);
        if (seq == null) {
            for (Sequence w : waiting) {
                if (w.id() == seqId) {
                    waiting.remove(w);
                    kv.free(seqId);
                    return true;
                }
            }
            return false;
        }
        retire(seq);
        return true;
    }

    private void retire(Sequence seq) {
        running.remove(seq);
        kv.free(seq.id());
    }

    private Sequence find(long seqId) {
        for (Sequence s : running) {
            if (s.id() == seqId) {
                return s;
            }
        }
        return null;
    }

    /** The sequence with this id if it is running or waiting. */
    public Sequence sequence(long seqId) {
        Sequence s = find(seqId);
        if (s != null) {
            return s;
        }
        for (Sequence w : waiting) {
            if (w.id() == seqId) {
                return w;
            }
        }
        return null;
    }

    public int runningCount() {
        return running.size();
    }

    public int waitingCount() {
        return waiting.size();
    }

    public long preemptions() {
        return preemptions;
    }

    public boolean hasWork() {
        return !running.isEmpty() || !waiting.isEmpty();
    }
}
