package dev.gantry.server.models;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A model the server can answer for, loaded or not.
 *
 * @param sizeBytes the file's size
 * @param modified  when the file was last written ({@code created} in {@code GET /v1/models})
 * @param loaded    whether it is in memory now
 */
public record AvailableModel(String id, Path file, long sizeBytes, Instant modified, boolean loaded) {
}
