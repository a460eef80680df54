package dev.gantry.server.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.sampling.SamplingParams;
import dev.gantry.server.ServedModel;
import dev.gantry.server.models.ModelFiles.CountingLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {

    @TempDir
    Path dir;

    @AfterEach
    void unlink() {
        ModelFiles.unlinkAll(dir);
    }

    private ModelRegistry open(CountingLoader loader, KeepAlive keepAlive, long budget) {
        return ModelRegistry.open(ModelSource.of(List.of(), ModelFiles.threeModels(dir)), loader,
                new ModelsConfig(keepAlive, budget));
    }

    private static long need(CountingLoader loader, Path dir, String name) {
        return loader.memoryBytes(dir.resolve(name + ".gguf"));
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void modelsAreListedUnloadedAndLoadOnTheFirstRequestThatNamesThem() {
        CountingLoader loader = new CountingLoader(0);
        try (ModelRegistry registry = open(loader, KeepAlive.FOREVER, Long.MAX_VALUE)) {
            assertThat(registry.available()).extracting(AvailableModel::id)
                    .containsExactly("stories260K", "tiny-llama", "tiny-qwen3");
            assertThat(registry.available()).noneMatch(AvailableModel::loaded);
            assertThat(loader.loads).hasValue(0);
            try (ModelLease lease = registry.acquire("tiny-llama")) {
                assertThat(lease.model().id()).isEqualTo("tiny-llama");
            }
            assertThat(registry.isLoaded("tiny-llama")).isTrue();
            assertThat(registry.isLoaded("stories260K")).isFalse();
            assertThat(registry.memoryInUse()).isEqualTo(need(loader, dir, "tiny-llama"));
            try (ModelLease again = registry.acquire("tiny-llama")) {
                assertThat(again.model().id()).isEqualTo("tiny-llama");
            }
            assertThat(loader.loads).hasValue(1);
        }
    }

    @Test
    void concurrentFirstRequestsForOneModelLoadItOnce() throws Exception {
        CountingLoader loader = new CountingLoader(300);
        try (ModelRegistry registry = open(loader, KeepAlive.FOREVER, Long.MAX_VALUE);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ModelLease>> leases = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                leases.add(pool.submit((Callable<ModelLease>) () -> {
                    go.await();
                    return registry.acquire("stories260K");
                }));
            }
            go.countDown();
            Set<ServedModel> models = ConcurrentHashMap.newKeySet();
            for (Future<ModelLease> f : leases) {
                ModelLease lease = f.get();
                models.add(lease.model());
                lease.close();
            }
            assertThat(loader.loads).hasValue(1);
            assertThat(models).hasSize(1);
        }
    }

    @Test
    void anIdleModelUnloadsAfterTheKeepAliveButNeverWhileARequestHoldsIt() throws Exception {
        CountingLoader loader = new CountingLoader(0);
        try (ModelRegistry registry = open(loader, KeepAlive.of(Duration.ofMillis(200)), Long.MAX_VALUE)) {
            ModelLease held = registry.acquire("stories260K");
            Thread.sleep(600);
            assertThat(registry.isLoaded("stories260K")).as("held past the keep-alive").isTrue();
            ServedModel model = held.model();
            held.close();
            held.close(); // a second close releases nothing more
            eventually(() -> !registry.isLoaded("stories260K"), "the idle model unloads");
            assertThat(registry.memoryInUse()).isZero();
            assertThatThrownBy(() -> model.engine().submit(GenerationRequest.of(new int[] {1}, SamplingParams.greedy(), 1)))
                    .as("the unloaded model's engine is stopped").isInstanceOf(IllegalStateException.class);
            try (ModelLease reloaded = registry.acquire("stories260K")) {
                assertThat(reloaded.model()).isNotSameAs(model);
            }
            assertThat(loader.loads).hasValue(2);
        }
    }

    @Test
    void aKeepAliveOfZeroUnloadsAsSoonAsTheLastRequestEnds() throws Exception {
        CountingLoader loader = new CountingLoader(0);
        try (ModelRegistry registry = open(loader, KeepAlive.of(Duration.ZERO), Long.MAX_VALUE)) {
            ModelLease a = registry.acquire("stories260K");
            ModelLease b = registry.acquire("stories260K");
            a.close();
            Thread.sleep(200);
            assertThat(registry.isLoaded("stories260K")).as("one request still holds it").isTrue();
            b.close();
            eventually(() -> !registry.isLoaded("stories260K"), "the model unloads after its last request");
        }
    }

    @Test
    void aLoadPastTheBudgetUnloadsTheLeastRecentlyUsedIdleModel() {
        CountingLoader loader = new CountingLoader(0);
        Path models = ModelFiles.threeModels(dir);
        long budget = need(loader, models, "stories260K") + need(loader, models, "tiny-llama")
                + need(loader, models, "tiny-qwen3") - 1;
        try (ModelRegistry registry = ModelRegistry.open(ModelSource.of(List.of(), models), loader,
                new ModelsConfig(KeepAlive.FOREVER, budget))) {
            registry.acquire("stories260K").close();
            registry.acquire("tiny-llama").close();
            registry.acquire("stories260K").close(); // now tiny-llama is the least recently used
            registry.acquire("tiny-qwen3").close();
            assertThat(registry.isLoaded("tiny-llama")).isFalse();
            assertThat(registry.isLoaded("stories260K")).isTrue();
            assertThat(registry.isLoaded("tiny-qwen3")).isTrue();
            assertThat(registry.memoryInUse()).isLessThanOrEqualTo(budget);
        }
    }

    @Test
    void modelsInUseAreNeverEvictedSoALoadThatDoesNotFitIsBusyUntilTheyEnd() {
        CountingLoader loader = new CountingLoader(0);
        Path models = ModelFiles.threeModels(dir);
        long budget = Math.max(need(loader, models, "stories260K"), need(loader, models, "tiny-llama"));
        try (ModelRegistry registry = ModelRegistry.open(ModelSource.of(List.of(), models), loader,
                new ModelsConfig(KeepAlive.FOREVER, budget))) {
            ModelLease held = registry.acquire("stories260K");
            assertThatThrownBy(() -> registry.acquire("tiny-llama"))
                    .isInstanceOfSatisfying(ModelUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(ModelUnavailableException.Reason.BUSY))
                    .hasMessageContaining("retry when they finish");
            assertThat(registry.isLoaded("stories260K")).isTrue();
            held.close();
            try (ModelLease lease = registry.acquire("tiny-llama")) {
                assertThat(lease.model().id()).isEqualTo("tiny-llama");
            }
            assertThat(registry.isLoaded("stories260K")).isFalse();
        }
    }

    @Test
    void aModelLargerThanTheWholeBudgetIsRefusedNamingBothSizes() {
        CountingLoader loader = new CountingLoader(0);
        try (ModelRegistry registry = open(loader, KeepAlive.FOREVER, 1000)) {
            assertThatThrownBy(() -> registry.acquire("stories260K"))
                    .isInstanceOfSatisfying(ModelUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(ModelUnavailableException.Reason.TOO_LARGE))
                    .hasMessageContaining("--models-memory");
            assertThat(loader.loads).hasValue(0);
        }
    }

    @Test
    void aFileAddedToTheDirectoryIsServedWithoutARestart() {
        CountingLoader loader = new CountingLoader(0);
        try (ModelRegistry registry = ModelRegistry.open(ModelSource.of(List.of(), dir), loader,
                new ModelsConfig(KeepAlive.FOREVER, Long.MAX_VALUE))) {
            assertThat(registry.available()).isEmpty();
            assertThatThrownBy(() -> registry.acquire("pulled")).isInstanceOf(UnknownModelException.class)
                    .hasMessageContaining("'pulled' does not exist");
            ModelFiles.link(dir, "pulled.gguf", "stories260K.gguf");
            try (ModelLease lease = registry.acquire("pulled")) {
                assertThat(lease.model().id()).isEqualTo("pulled");
            }
            assertThat(registry.available()).extracting(AvailableModel::id).containsExactly("pulled");
        }
    }

    @Test
    void aBrokenFileFailsToLoadWithItsReasonAndLeavesTheRegistryUsable() throws IOException {
        CountingLoader loader = new CountingLoader(0);
        Files.writeString(dir.resolve("broken.gguf"), "not a gguf file at all");
        ModelFiles.link(dir, "stories260K.gguf", "stories260K.gguf");
        try (ModelRegistry registry = ModelRegistry.open(ModelSource.of(List.of(), dir), loader,
                new ModelsConfig(KeepAlive.FOREVER, Long.MAX_VALUE))) {
            assertThatThrownBy(() -> registry.acquire("broken"))
                    .isInstanceOfSatisfying(ModelUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(ModelUnavailableException.Reason.LOAD_FAILED))
                    .hasMessageContaining("'broken' could not be loaded");
            assertThat(registry.memoryInUse()).isZero();
            registry.acquire("stories260K").close();
            assertThat(registry.isLoaded("stories260K")).isTrue();
        }
    }

    @Test
    void theDefaultModelIsTheFirstNamedFileElseTheOnlyOne() {
        CountingLoader loader = new CountingLoader(0);
        Path models = ModelFiles.threeModels(dir);
        try (ModelRegistry several = ModelRegistry.open(ModelSource.of(List.of(), models), loader,
                ModelsConfig.unlimited());
             ModelRegistry named = ModelRegistry.open(ModelSource.of(List.of(models.resolve("tiny-qwen3.gguf")), models),
                     loader, ModelsConfig.unlimited())) {
            assertThat(several.defaultModel()).isEmpty();
            assertThat(named.defaultModel()).contains("tiny-qwen3");
        }
    }

    @Test
    void closingStopsEveryLoadedEngine() {
        CountingLoader loader = new CountingLoader(0);
        ModelRegistry registry = open(loader, KeepAlive.FOREVER, Long.MAX_VALUE);
        ServedModel a;
        try (ModelLease lease = registry.acquire("stories260K")) {
            a = lease.model();
        }
        registry.close();
        assertThat(registry.isLoaded("stories260K")).isFalse();
        assertThatThrownBy(() -> a.engine().submit(GenerationRequest.of(new int[] {1}, SamplingParams.greedy(), 1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> registry.acquire("stories260K")).isInstanceOf(ModelUnavailableException.class);
    }
}
