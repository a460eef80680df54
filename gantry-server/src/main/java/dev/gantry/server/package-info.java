/**
 * The HTTP server: one Helidon SE web server over the serving engine ({@link dev.gantry.engine.Engine}), with the
 * OpenAI-compatible API in {@code server.openai} and health endpoints in {@code server.observe}. This package
 * owns the server's configuration, the model it serves and its lifecycle (start, drain, stop).
 */
package dev.gantry.server;
