package dev.gantry.engine.chat.jinja;

/**
 * A problem found while evaluating, before its source position is known; the interpreter turns it into a
 * {@link TemplateException} at the innermost expression or statement that was being evaluated.
 */
final class EvalError extends RuntimeException {

    private final boolean raised;

    EvalError(String message) {
        this(message, false);
    }

    private EvalError(String message, boolean raised) {
        super(message);
        this.raised = raised;
    }

    /** The template called {@code raise_exception(message)}. */
    static EvalError raised(String message) {
        return new EvalError(message, true);
    }

    boolean isRaised() {
        return raised;
    }
}
