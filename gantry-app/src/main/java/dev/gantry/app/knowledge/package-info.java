/**
 * The Knowledge Hub commands: {@code gantry ingest}, {@code gantry search} and {@code gantry ask}. They work on the
 * local data directory ({@code --data-dir}, knowledge in {@code <data-dir>/knowledge/}) without a running server.
 * Errors are one line on stderr and a non-zero exit.
 */
package dev.gantry.app.knowledge;
