/**
 * Which models a server answers for and which of them are in memory: {@link dev.gantry.server.models.ModelSource}
 * (the {@code --model} files and the {@code --models-dir} directory, rescanned so pulled files appear),
 * {@link dev.gantry.server.models.ModelRegistry} (load on first use, keep-alive, a memory budget with LRU
 * eviction of idle models, reference-counted {@link dev.gantry.server.models.ModelLease leases} so a model in use
 * is never unloaded) and {@link dev.gantry.server.models.ModelLoader} (how a file becomes a served model). No HTTP
 * here: the OpenAI routes map this package's exceptions to error bodies.
 */
package dev.gantry.server.models;
