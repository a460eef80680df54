package dev.gantry.engine.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixed compute threads, created once, that share index ranges among themselves. A task's range is cut into a
 * few contiguous chunks per thread, claimed in order from one counter: the calling thread starts at once, and a
 * worker that is slow to wake (a busy machine, a shared VM) simply finds fewer chunks left, so no call ever waits
 * for a thread that has not started; it waits only for chunks already being computed. With {@code threads = 1}
 * everything runs inline. Workers spin briefly for the next task (matmuls follow each other within microseconds
 * during decode) and then park, so an idle engine burns no CPU.
 *
 * <p>NOTE: one task at a time. Callers on different threads (the engine loop and a scoring request, say) are
 * serialized by a lock; a task must not call {@link #run} from inside itself.
 */
public final class ComputePool implements AutoCloseable {

    /** A share of work: indices {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int start, int end);
    }

    private static final int SPINS = 20_000;
    /** Chunks per thread: enough to even out a late start, few enough to keep each chunk's rows contiguous. */
    private static final int CHUNKS_PER_THREAD = 4;

    private final int threads;
    private final Thread[] workers;
    private volatile long generation;
    /** The task of the current generation, or null between tasks. */
    private volatile Job job;
    private volatile boolean closed;

    /**
     * One call's task and its counters, together: a worker that read a job late (its task done, a new one begun)
     * can only claim from that job's own counter, find no chunk left, and never count toward the new task.
     */
    private record Job(RangeTask task, int size, int count, AtomicInteger next, AtomicInteger finished,
                       AtomicReference<Throwable> failure) {

        Job(RangeTask task, int size, int count) {
            this(task, size, count, new AtomicInteger(), new AtomicInteger(), new AtomicReference<>());
        }
    }

    public ComputePool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = Thread.ofPlatform().daemon().name("gantry-compute-" + (i + 1)).unstarted(this::work);
            workers[i].start();
        }
    }

    /** One thread per available core. */
    public static ComputePool perCore() {
        return new ComputePool(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /**
     * Work below this many multiply-adds runs on the calling thread: waking the others costs microseconds, more
     * than a small matrix takes (stories260K's are 64 x 64).
     */
    public static final long MIN_PARALLEL_WORK = 1 << 20;

    /** Runs {@code task} over {@code [0, n)} shared among the threads, and returns when all of it is done. */
    public void run(int n, RangeTask task) {
        run(n, Long.MAX_VALUE, task);
    }

    /** As {@link #run(int, RangeTask)}, inline when the whole task is about {@code work} multiply-adds or fewer. */
    public synchronized void run(int n, long work, RangeTask task) {
        if (n <= 0) {
            return;
        }
        if (threads == 1 || n == 1 || work < MIN_PARALLEL_WORK) {
            task.run(0, n);
            return;
        }
        Job j = new Job(task, n, Math.min(n, threads * CHUNKS_PER_THREAD));
        job = j;
        generation = generation + 1;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        claimChunks(j);
        int spins = 0;
        while (j.finished().get() != j.count()) {
            if (++spins > SPINS) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        job = null;
        Throwable t = j.failure().get();
        if (t != null) {
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }

    /** Runs chunks of {@code j} until none is left. */
    private static void claimChunks(Job j) {
        for (int chunk = j.next().getAndIncrement(); chunk < j.count(); chunk = j.next().getAndIncrement()) {
            try {
                int start = (int) ((long) j.size() * chunk / j.count());
                int end = (int) ((long) j.size() * (chunk + 1) / j.count());
                j.task().run(start, end);
            } catch (Throwable t) {
                j.failure().compareAndSet(null, t);
            } finally {
                j.finished().incrementAndGet();
            }
        }
    }

    private void work() {
        long seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            Job j = job;
            if (j != null) {
                // read after the generation: a job finished meanwhile has no chunk left to claim
                claimChunks(j);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
