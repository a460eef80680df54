/**
 * Benchmarks that are not tests (surefire does not run them): {@link dev.gantry.knowledge.bench.ScaleBenchmark}
 * ingests and searches 100,000 chunks; {@link dev.gantry.knowledge.bench.ProjectionEmbedder} is its cheap dense
 * embedder. The retrieval-quality benchmark lives beside its corpus, in {@code dev.gantry.knowledge}.
 */
package dev.gantry.knowledge.bench;
