/**
 * The Knowledge Hub: Gantry's retrieval-augmented generation layer, as a library.
 *
 * <p>{@link dev.gantry.knowledge.KnowledgeHub} is the facade the CLI and the HTTP server map onto: collections per
 * tenant (create, list, get, delete), documents (ingest as an asynchronous job, list, get, delete), search
 * (keyword, vector or hybrid) and answers with citations. The values it takes and returns are records in this
 * package; errors are {@link dev.gantry.knowledge.KnowledgeException}s whose
 * {@link dev.gantry.knowledge.KnowledgeException.Reason} maps onto an HTTP status.
 *
 * <p>Sub-packages: {@code ingest} (readers and the chunker), {@code embed} (the {@code Embedder} interface and the
 * in-process ONNX models), {@code index} (one Lucene index per collection: BM25, HNSW vectors, fusion),
 * {@code store} (collection metadata on disk) and {@code answer} (the prompt with numbered sources, the
 * {@code AnswerModel} interface and citation parsing).
 *
 * <p>Tenancy: every call takes a tenant id, and a collection is only ever looked up under its tenant's directory,
 * so one tenant cannot name, list or search another's collections.
 */
package dev.gantry.knowledge;
