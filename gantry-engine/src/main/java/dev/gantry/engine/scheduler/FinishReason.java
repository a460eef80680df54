package dev.gantry.engine.scheduler;

/** Why a sequence stopped. */
public enum FinishReason {
    /** An end-of-generation token (or, decided above the engine, a stop string). */
    STOP,
    /** The token limit or the context length was reached. */
    LENGTH,
    /** Cancelled by the caller, or its deadline passed. */
    CANCELLED,
    /** The engine failed while computing it. */
    ERROR
}
