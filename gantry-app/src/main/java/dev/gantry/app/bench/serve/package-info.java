/**
 * Serving benchmarks ({@code gantry bench serve}): one OpenAI-streaming load client driven against every target
 * alike (Gantry's server in-process with batching on and off, llama.cpp's llama-server as a child process, or any
 * running OpenAI-compatible server), measured with {@code vllm bench serve}'s definitions and printed side by side.
 */
package dev.gantry.app.bench.serve;
