/**
 * The paged KV cache (PagedAttention: Kwon et al., SOSP 2023; vLLM v1's KVCacheManager and BlockPool as the
 * model): a {@link dev.gantry.engine.kvcache.BlockPool} of fixed-size blocks preallocated from a memory budget
 * ({@link dev.gantry.engine.kvcache.KvCacheConfig}, {@link dev.gantry.engine.kvcache.KvShape}) with reference
 * counts, copy-on-write and LRU eviction; the block memory itself ({@link dev.gantry.engine.kvcache.KvBlockStorage},
 * F16 or Q8_0 rows, slot-major per layer); per-sequence {@link dev.gantry.engine.kvcache.BlockTable}s; prefix
 * caching by chained block hashes ({@link dev.gantry.engine.kvcache.PrefixCache}); and the facade the scheduler and
 * runner use, {@link dev.gantry.engine.kvcache.KvCacheManager}. {@code SequenceKvCache} gives one sequence run
 * alone (scoring, {@code gantry run}) its own storage with the identity block table, so every path attends over
 * blocks the same way.
 *
 * <p>Imports only the JDK and {@code engine.tensor} (the row formats). Out of blocks is never an out-of-memory
 * error: allocation answers false, or throws {@link dev.gantry.engine.kvcache.KvCacheFullException}.
 */
package dev.gantry.engine.kvcache;
