package dev.gantry.server.models;

import dev.gantry.server.ServedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The models a server has and the ones it holds in memory, as Ollama manages them: a model loads on the first
 * request that names it (concurrent first requests wait for one load), stays while requests hold a
 * {@link ModelLease} on it, and unloads (engine stopped, file unmapped) after {@link KeepAlive} of idleness.
 * Loaded models share a memory budget; a load that does not fit first unloads idle models, least recently used
 * first, and when the models in use leave no room it fails with {@link ModelUnavailableException} at once rather
 * than queueing (the client retries; a request never waits on another's completion).
 *
 * <p>NOTE: one lock guards all bookkeeping, and nothing slow happens under it: loading runs on the requesting
 * thread with the slot marked {@code loading}, and unloading runs after the slot was emptied, so a model being
 * closed is unreachable.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class.getName());

    private final ModelSource source;
    private final ModelLoader loader;
    private final ModelsConfig config;
    private final ScheduledThreadPoolExecutor reaper;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Slot> slots = new LinkedHashMap<>(); // guarded by lock, in scan order
    private boolean closed; // guarded by lock

    /** One model id's state; every field is guarded by the registry's lock. */
    private static final class Slot {
        final String id;
        /** Handed over already loaded by a caller that owns it: never unloaded, only its engine is stopped. */
        final boolean pinned;
        Path file;
        ServedModel loaded;
        CompletableFuture<ServedModel> loading;
        long memoryBytes;
        int inUse;
        long lastUsedNanos;
        ScheduledFuture<?> idleTimer;

        Slot(String id, Path file, boolean pinned) {
            this.id = id;
            this.file = file;
            this.pinned = pinned;
        }

        boolean resident() {
            return loaded != null || loading != null;
        }
    }

    private ModelRegistry(ModelSource source, ModelLoader loader, ModelsConfig config) {
        this.source = source;
        this.loader = loader;
        this.config = config;
        this.reaper = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("gantry-models-keep-alive").factory());
        this.reaper.setRemoveOnCancelPolicy(true);
    }

    /** A registry over {@code source}; fails at once when a named file or the directory is missing. */
    public static ModelRegistry open(ModelSource source, ModelLoader loader, ModelsConfig config) {
        source.validate();
        ModelRegistry registry = new ModelRegistry(source, loader, config);
        registry.lock.lock();
        try {
            registry.rescan();
        } finally {
            registry.lock.unlock();
        }
        return registry;
    }

    /**
     * A registry of one model the caller opened and keeps owning: it is never unloaded, and {@link #close()}
     * stops its engine but leaves the model to the caller, as a server of one model always did.
     */
    public static ModelRegistry single(ServedModel model) {
        ModelLoader none = new ModelLoader() {
            @Override
            public ServedModel load(String id, Path file) {
                throw new IllegalStateException("a single-model registry loads nothing");
            }

            @Override
            public long memoryBytes(Path file) {
                return 0;
            }
        };
        ModelRegistry registry = new ModelRegistry(new ModelSource(List.of(), Optional.empty()), none,
                ModelsConfig.unlimited());
        Slot slot = new Slot(model.id(), model.model().file().path(), true);
        slot.loaded = model;
        registry.slots.put(model.id(), slot);
        return registry;
    }

    /**
     * The model a request that names none gets: the first {@code --model}, else the only model there is; empty
     * when the server has several and none was named first.
     */
    public Optional<String> defaultModel() {
        Optional<String> named = source.defaultId();
        if (named.isPresent()) {
            return named;
        }
        List<AvailableModel> all = available();
        return all.size() == 1 ? Optional.of(all.getFirst().id()) : Optional.empty();
    }

    /** Every model the server has now (the directory is listed afresh), loaded or not. */
    public List<AvailableModel> available() {
        record Seen(String id, Path file, boolean loaded) {
        }
        List<Seen> seen = new ArrayList<>();
        lock.lock();
        try {
            rescan();
            for (Slot s : slots.values()) {
                seen.add(new Seen(s.id, s.file, s.loaded != null));
            }
        } finally {
            lock.unlock();
        }
        List<AvailableModel> out = new ArrayList<>();
        for (Seen s : seen) {
            try {
                out.add(new AvailableModel(s.id(), s.file(), Files.size(s.file()),
                        Files.getLastModifiedTime(s.file()).toInstant(), s.loaded()));
            } catch (IOException e) {
                // Deleted since the scan: it is no longer available (a loaded copy finishes its requests).
                LOG.log(Level.FINE, "model file vanished: " + s.file(), e);
            }
        }
        return out;
    }

    public Optional<AvailableModel> find(String id) {
        return available().stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** Whether {@code id} is in memory now (loading counts as not yet). */
    public boolean isLoaded(String id) {
        lock.lock();
        try {
            Slot s = slots.get(id);
            return s != null && s.loaded != null;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of the budget the loaded and loading models take. */
    public long memoryInUse() {
        lock.lock();
        try {
            return usedMemory();
        } finally {
            lock.unlock();
        }
    }

    public ModelsConfig config() {
        return config;
    }

    /** Loads {@code id} now, so its first request does not wait; its keep-alive starts at once. */
    public void preload(String id) {
        acquire(id).close();
    }

    /**
     * The model {@code id}, loaded if it was not, held until the lease is closed.
     *
     * @throws UnknownModelException     when no model has that id
     * @throws ModelUnavailableException when it does not fit the budget, its file does not load, or the registry
     *                                   is closed
     */
    public ModelLease acquire(String id) {
        List<Slot> evicted = new ArrayList<>();
        Slot slot;
        CompletableFuture<ServedModel> future;
        boolean loadHere = false;
        lock.lock();
        try {
            if (closed) {
                throw new ModelUnavailableException(ModelUnavailableException.Reason.CLOSED, "the server is shutting down");
            }
            slot = slots.get(id);
            if (slot == null) {
                rescan();
                slot = slots.get(id);
            }
            if (slot == null) {
                throw new UnknownModelException(id);
            }
            if (slot.idleTimer != null) {
                slot.idleTimer.cancel(false);
                slot.idleTimer = null;
            }
            if (slot.loaded != null) {
                slot.inUse++;
                return new Lease(slot, slot.loaded);
            }
            if (slot.loading == null) {
                long need = memoryNeeded(slot);
                makeRoom(slot, need, evicted);
                slot.memoryBytes = need;
                slot.loading = new CompletableFuture<>();
                loadHere = true;
            }
            slot.inUse++;
            future = slot.loading;
        } finally {
            lock.unlock();
        }
        unload(evicted, "to make room for '" + id + "'");
        if (loadHere) {
            load(slot, future);
        }
        try {
            return new Lease(slot, future.join());
        } catch (CompletionException e) {
            release(slot);
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private long memoryNeeded(Slot slot) {
        try {
            return loader.memoryBytes(slot.file);
        } catch (UncheckedIOException e) {
            throw new ModelUnavailableException(ModelUnavailableException.Reason.LOAD_FAILED,
                    "the model '" + slot.id + "' cannot be read: " + e.getMessage(), e);
        }
    }

    /** Unloads idle models, least recently used first, until {@code need} more bytes fit; under the lock. */
    private void makeRoom(Slot slot, long need, List<Slot> evicted) {
        long budget = config.memoryBudget();
        if (need > budget) {
            throw new ModelUnavailableException(ModelUnavailableException.Reason.TOO_LARGE, "the model '" + slot.id
                    + "' needs " + mib(need) + " (file and KV cache) but the models memory budget is " + mib(budget)
                    + "; raise --models-memory or lower --kv-cache-memory");
        }
        long used = usedMemory();
        while (used + need > budget) {
            Slot victim = slots.values().stream()
                    .filter(s -> s.loaded != null && s.inUse == 0 && !s.pinned)
                    .min(Comparator.comparingLong(s -> s.lastUsedNanos))
                    .orElseThrow(() -> new ModelUnavailableException(ModelUnavailableException.Reason.BUSY,
                            "the model '" + slot.id + "' needs " + mib(need) + " and the models now answering"
                                    + " requests hold " + mib(usedMemory()) + " of the " + mib(budget)
                                    + " budget; retry when they finish"));
            used -= victim.memoryBytes;
            evicted.add(detach(victim));
        }
    }

    private void load(Slot slot, CompletableFuture<ServedModel> future) {
        long start = System.nanoTime();
        ServedModel served;
        try {
            served = loader.load(slot.id, slot.file);
        } catch (RuntimeException | Error e) {
            lock.lock();
            try {
                slot.loading = null;
                slot.memoryBytes = 0;
            } finally {
                lock.unlock();
            }
            LOG.warning(() -> "cannot load model '" + slot.id + "' from " + slot.file + ": " + e.getMessage());
            LOG.log(Level.FINE, "model load failure", e);
            future.completeExceptionally(new ModelUnavailableException(ModelUnavailableException.Reason.LOAD_FAILED,
                    "the model '" + slot.id + "' could not be loaded: " + e.getMessage(), e));
            if (e instanceof Error error) {
                throw error;
            }
            return;
        }
        boolean keep;
        long bytes;
        lock.lock();
        try {
            slot.loading = null;
            bytes = slot.memoryBytes;
            keep = !closed;
            if (keep) {
                slot.loaded = served;
                slot.lastUsedNanos = System.nanoTime();
            } else {
                slot.memoryBytes = 0;
            }
        } finally {
            lock.unlock();
        }
        if (!keep) {
            served.close();
            future.completeExceptionally(new ModelUnavailableException(ModelUnavailableException.Reason.CLOSED,
                    "the server is shutting down"));
            return;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.info(() -> "loaded model " + slot.id + " from " + slot.file + " (" + mib(bytes) + " with KV cache) in "
                + millis + " ms");
        future.complete(served);
    }

    private void release(Slot slot) {
        lock.lock();
        try {
            slot.inUse--;
            slot.lastUsedNanos = System.nanoTime();
            if (slot.inUse == 0 && slot.loaded != null && !slot.pinned && !closed && !config.keepAlive().forever()) {
                long delay = config.keepAlive().idle().orElseThrow().toNanos();
                slot.idleTimer = reaper.schedule(() -> unloadIfIdle(slot), delay, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void unloadIfIdle(Slot slot) {
        Slot victim = null;
        lock.lock();
        try {
            if (!closed && slot.inUse == 0 && slot.loaded != null) {
                victim = detach(slot);
            }
        } finally {
            lock.unlock();
        }
        if (victim != null) {
            unload(List.of(victim), "after " + config.keepAlive() + " idle");
        }
    }

    /** Empties a slot under the lock and returns a detached copy holding what to close. */
    private static Slot detach(Slot slot) {
        Slot gone = new Slot(slot.id, slot.file, slot.pinned);
        gone.loaded = slot.loaded;
        gone.memoryBytes = slot.memoryBytes;
        slot.loaded = null;
        slot.memoryBytes = 0;
        if (slot.idleTimer != null) {
            slot.idleTimer.cancel(false);
            slot.idleTimer = null;
        }
        return gone;
    }

    private static void unload(List<Slot> gone, String why) {
        for (Slot s : gone) {
            try {
                if (s.pinned) {
                    if (s.loaded.canGenerate()) {
                        s.loaded.engine().close();
                    }
                    LOG.fine(() -> "stopped the engine of model " + s.id + " " + why);
                } else {
                    s.loaded.close();
                    LOG.info(() -> "unloaded model " + s.id + " " + why + " (" + mib(s.memoryBytes) + " freed)");
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing model '" + s.id + "' failed", e);
            }
        }
    }

    /** Brings the slots in line with the source: new files appear, vanished idle ones go; under the lock. */
    private void rescan() {
        Map<String, Path> found = source.scan();
        for (Map.Entry<String, Path> e : found.entrySet()) {
            Slot s = slots.get(e.getKey());
            if (s == null) {
                slots.put(e.getKey(), new Slot(e.getKey(), e.getValue(), false));
            } else if (!s.pinned && !s.resident() && s.inUse == 0) {
                s.file = e.getValue();
            }
        }
        for (Iterator<Slot> it = slots.values().iterator(); it.hasNext(); ) {
            Slot s = it.next();
            if (!found.containsKey(s.id) && !s.pinned && !s.resident() && s.inUse == 0) {
                it.remove();
            }
        }
    }

    private long usedMemory() {
        long used = 0;
        for (Slot s : slots.values()) {
            if (s.resident()) {
                used += s.memoryBytes;
            }
        }
        return used;
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    /** Stops every engine and unmaps every loaded file; requests still running are cancelled by their engine. */
    @Override
    public void close() {
        List<Slot> gone = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Slot s : slots.values()) {
                if (s.loaded != null) {
                    gone.add(detach(s));
                }
            }
        } finally {
            lock.unlock();
        }
        reaper.shutdownNow();
        unload(gone, "at shutdown");
    }

    /** A hold on one loaded model; closing it twice releases it once. */
    private final class Lease implements ModelLease {
        private final Slot slot;
        private final ServedModel model;
        private final AtomicBoolean open = new AtomicBoolean(true);

        Lease(Slot slot, ServedModel model) {
            this.slot = slot;
            this.model = model;
        }

        @Override
        public ServedModel model() {
            return model;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                release(slot);
            }
        }
    }
}
