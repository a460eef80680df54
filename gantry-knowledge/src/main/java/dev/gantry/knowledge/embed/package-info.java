/**
 * Embeddings: the {@link dev.gantry.knowledge.embed.Embedder} interface the index uses, the
 * {@link dev.gantry.knowledge.embed.EmbedderCatalog} that resolves a collection's model id, and
 * {@link dev.gantry.knowledge.embed.InProcessEmbedder}, the default: ONNX models shipped in Maven jars
 * (langchain4j embeddings), which run offline. Gantry's own GGUF embedding models will be another implementation.
 */
package dev.gantry.knowledge.embed;
