package dev.gantry.server.models;

/**
 * How the registry manages memory.
 *
 * @param keepAlive    how long an idle model stays loaded
 * @param memoryBudget bytes the loaded models may take together, each counted as its file size (the mapped
 *                     weights) plus its KV cache; loading past it first unloads idle models, least recently
 *                     used first
 */
public record ModelsConfig(KeepAlive keepAlive, long memoryBudget) {

    public ModelsConfig {
        if (keepAlive == null) {
            throw new IllegalArgumentException("a keep-alive is required");
        }
        if (memoryBudget < 1) {
            throw new IllegalArgumentException("the models memory budget must be at least 1 byte, got " + memoryBudget);
        }
    }

    /** Never unload, no budget to speak of: one model served as before. */
    public static ModelsConfig unlimited() {
        return new ModelsConfig(KeepAlive.FOREVER, Long.MAX_VALUE);
    }
}
