package dev.gantry.engine;

import dev.gantry.engine.kvcache.KvCacheConfig;
import dev.gantry.engine.scheduler.SchedulerConfig;

/** How the serving engine batches and how much memory its KV cache takes. */
public record EngineConfig(SchedulerConfig scheduler, KvCacheConfig kvCache) {

    public EngineConfig {
        if (scheduler == null || kvCache == null) {
            throw new IllegalArgumentException("scheduler and KV cache configuration are required");
        }
    }

    /** Defaults with a KV budget in bytes. */
    public static EngineConfig of(long kvCacheBytes) {
        return new EngineConfig(SchedulerConfig.defaults(), KvCacheConfig.of(kvCacheBytes));
    }
}
