package dev.gantry.server.models;

/** A request named a model the server does not have (neither a named file nor one in the models directory). */
public final class UnknownModelException extends RuntimeException {

    private final String id;

    public UnknownModelException(String id) {
        super("The model '" + id + "' does not exist (GET /v1/models lists the models this server has)");
        this.id = id;
    }

    public String id() {
        return id;
    }
}
