package dev.gantry.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ComputePoolTest {

    @Test
    void everyIndexRunsExactlyOnceAcrossManyTasks() {
        try (ComputePool pool = new ComputePool(3)) {
            for (int n : new int[] {1, 2, 3, 7, 100, 1001}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                for (int round = 0; round < 50; round++) {
                    pool.run(n, (start, end) -> {
                        for (int i = start; i < end; i++) {
                            hits.incrementAndGet(i);
                        }
                    });
                }
                for (int i = 0; i < n; i++) {
                    assertThat(hits.get(i)).as("index %d of %d", i, n).isEqualTo(50);
                }
            }
        }
    }

    @Test
    void aFailingShareFailsTheCallAndThePoolKeepsWorking() {
        try (ComputePool pool = new ComputePool(2)) {
            assertThatThrownBy(() -> pool.run(10, (start, end) -> {
                if (start > 0) {
                    throw new IllegalStateException("boom");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            int[] sum = new int[1];
            pool.run(1, (start, end) -> sum[0] = end - start);
            assertThat(sum[0]).isEqualTo(1);
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tasksOfChangingSizesBackToBackNeverCountAWorkersLateClaim() {
        // a worker that reads a task late (done, the next begun) must not claim from or count toward the next; with
        // one counter for all tasks, a late claim against the next task's chunk count hung the caller forever
        try (ComputePool pool = new ComputePool(3)) {
            for (int i = 0; i < 200_000; i++) {
                int n = i % 2 == 0 ? 2 : 64;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                pool.run(n, (start, end) -> {
                    for (int k = start; k < end; k++) {
                        hits.incrementAndGet(k);
                    }
                });
                for (int k = 0; k < n; k++) {
                    assertThat(hits.get(k)).as("task %d index %d", i, k).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void rejectsZeroThreads() {
        assertThatThrownBy(() -> new ComputePool(0)).hasMessageContaining("at least 1");
    }
}
