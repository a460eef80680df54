package dev.gantry.engine.grammar;

/**
 * A grammar (GBNF text, or a JSON schema turned into one) that cannot be used: a syntax error, an undefined rule,
 * left recursion, or a schema keyword this converter does not support. The message says what and where.
 */
public final class GrammarException extends IllegalArgumentException {

    private final int line;
    private final int column;

    /** An error at a place in GBNF text (1-based line and column). */
    public GrammarException(String message, int line, int column) {
        super("line " + line + ", column " + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    /** An error with no place in text (a JSON schema, a whole-grammar check). */
    public GrammarException(String message) {
        super(message);
        this.line = 0;
        this.column = 0;
    }

    /** 1-based, or 0 when the error has no place in GBNF text. */
    public int line() {
        return line;
    }

    /** 1-based, or 0 when the error has no place in GBNF text. */
    public int column() {
        return column;
    }
}
