/**
 * Embeddings: the {@link dev.gantry.knowledge.embed.Embedder} interface the index uses, the
 * {@link dev.gantry.knowledge.embed.EmbedderCatalog} that resolves a collection's model id, and
 * {@link dev.gantry.knowledge.embed.InProcessEmbedder}, the default: ONNX models shipped in Maven jars
 * (langchain4j embeddings), which run offline; and {@link dev.gantry.knowledge.embed.GgufEmbedder}, a GGUF
 * embedding model (BERT encoders such as all-MiniLM-L6-v2) run by Gantry's own engine.
 */
package dev.gantry.knowledge.embed;
