package dev.gantry.server.models;

import dev.gantry.server.ServedModel;

/**
 * A loaded model held for one request: while any lease on it is open the model is never unloaded. Closing the
 * lease (once; later calls do nothing) starts the model's keep-alive when it was the last one.
 */
public interface ModelLease extends AutoCloseable {

    ServedModel model();

    @Override
    void close();
}
