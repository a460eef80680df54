package dev.gantry.engine.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixed compute threads, created once, that split index ranges statically among themselves. The calling thread
 * takes the first share, so {@code threads = 1} runs everything inline. Workers spin briefly for the next task
 * (matmuls follow each other within microseconds during decode) and then park, so an idle engine burns no CPU.
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

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long generation;
    private volatile RangeTask task;
    private volatile int size;
    private volatile boolean closed;
    private volatile Throwable failure;

    public ComputePool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int index = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("gantry-compute-" + index).unstarted(() -> work(index));
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
    public static final long MIN_PARALLEL_WORK = 131_072;

    /** Runs {@code task} over {@code [0, n)} split into one contiguous share per thread, and waits for all shares. */
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
        this.task = task;
        this.size = n;
        this.failure = null;
        pending.set(workers.length);
        generation = generation + 1;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        runShare(0, n, task);
        int spins = 0;
        while (pending.get() != 0) {
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

    private void runShare(int index, int n, RangeTask task) {
        long start = (long) n * index / threads;
        long end = (long) n * (index + 1) / threads;
        if (start < end) {
            task.run((int) start, (int) end);
        }
    }

    private void work(int index) {
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
            try {
                runShare(index, size, task);
            } catch (Throwable t) {
                failure = t;
            } finally {
                pending.decrementAndGet();
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
