/**
 * Turning uploaded bytes into chunks: one {@link dev.gantry.knowledge.ingest.DocumentReader} per format (plain
 * text, Markdown, HTML, PDF) producing {@link dev.gantry.knowledge.ingest.ExtractedText} (the text plus its
 * structural blocks, with character offsets), and the structure-aware
 * {@link dev.gantry.knowledge.ingest.Chunker}. No Lucene, no embeddings here.
 */
package dev.gantry.knowledge.ingest;
