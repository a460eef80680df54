/**
 * End-to-end benchmarks in llama-bench's terms ({@code gantry bench}): prompt processing ({@code pp}, one batch
 * from an empty cache) and text generation ({@code tg}, single-token decode steps from an empty cache), timed per
 * repetition after a warm-up; the same results as llama-bench's markdown table or JSON, optionally beside
 * llama.cpp's own llama-bench run on the same file in the same process run; and the cache of synthetic models
 * those benchmarks run on.
 */
package dev.gantry.app.bench;
