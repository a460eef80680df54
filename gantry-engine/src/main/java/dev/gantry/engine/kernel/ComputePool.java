package dev.gantry.engine.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
    /** The task's generation in the high 32 bits, the next unclaimed chunk in the low 32. */
    private final AtomicLong claims = new AtomicLong();
    private final AtomicInteger finished = new AtomicInteger();
    private volatile long generation;
    private volatile RangeTask task;
    private volatile int size;
    private volatile int chunks;
    private volatile boolean closed;
    private volatile Throwable failure;

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
        int count = Math.min(n, threads * CHUNKS_PER_THREAD);
        long gen = generation + 1;
        this.task = task;
        this.size = n;
        this.chunks = count;
        this.failure = null;
        finished.set(0);
        claims.set(gen << 32);
        generation = gen;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        claimChunks(gen, task, n, count);
        int spins = 0;
        while (finished.get() != count) {
            if (++spins > SPINS) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        this.task = null;
        Throwable t = failure;
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

    /** Runs chunks of generation {@code gen} until none is left (or a newer task has replaced it). */
    private void claimChunks(long gen, RangeTask task, int n, int count) {
        while (true) {
            long c = claims.get();
            int chunk = (int) c;
            if ((c >>> 32) != gen || chunk >= count) {
                return;
            }
            if (!claims.compareAndSet(c, c + 1)) {
                continue;
            }
            try {
                int start = (int) ((long) n * chunk / count);
                int end = (int) ((long) n * (chunk + 1) / count);
                task.run(start, end);
            } catch (Throwable t) {
                failure = t;
            } finally {
                finished.incrementAndGet();
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
            RangeTask t = task;
            if (t != null) {
                // read after the generation: a task replaced meanwhile only makes every claim below fail
                claimChunks(seen, t, size, chunks);
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
