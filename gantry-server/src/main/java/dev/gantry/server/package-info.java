/**
 * The HTTP server: one Helidon SE web server over the serving engine ({@link dev.gantry.engine.Engine}), with the
 * OpenAI-compatible API in {@code server.openai}, health and the request log in {@code server.observe}, and the
 * models it has in {@code server.models}. This package owns the server's configuration, what a served model is,
 * and the server's lifecycle (start, drain, stop).
 */
package dev.gantry.server;
