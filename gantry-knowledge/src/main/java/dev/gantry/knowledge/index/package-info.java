/**
 * One persistent Lucene index per collection ({@link dev.gantry.knowledge.index.CollectionIndex}): chunks with
 * BM25-scored text and HNSW float vectors, plus one record per document (name, hash, metadata, extracted text)
 * written in the same atomic block as its chunks. Searches run on a {@link dev.gantry.knowledge.index.IndexSnapshot}
 * of the last commit; {@link dev.gantry.knowledge.index.RankFusion} fuses the keyword and vector lists.
 */
package dev.gantry.knowledge.index;
