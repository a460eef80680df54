package dev.gantry.engine.chat.jinja;

/**
 * A template that cannot be compiled or rendered. {@link #detail()} is the bare problem (for a template's own
 * {@code raise_exception('...')} exactly its message); {@link #getMessage()} adds the line and column in the
 * template source, both 1-based.
 */
public final class TemplateException extends RuntimeException {

    /** What went wrong: the source does not parse, evaluation failed, or the template raised on purpose. */
    public enum Kind { SYNTAX, RENDER, RAISED }

    private final Kind kind;
    private final String detail;
    private final int line;
    private final int column;

    private TemplateException(Kind kind, String detail, int line, int column, Throwable cause) {
        super(detail + " (at line " + line + ", column " + column + ")", cause);
        this.kind = kind;
        this.detail = detail;
        this.line = line;
        this.column = column;
    }

    static TemplateException at(Kind kind, String source, int offset, String detail) {
        return at(kind, source, offset, detail, null);
    }

    static TemplateException at(Kind kind, String source, int offset, String detail, Throwable cause) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(Math.max(offset, 0), source.length());
        for (int i = 0; i < end; i++) {
            if (source.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new TemplateException(kind, detail, line, end - lineStart + 1, cause);
    }

    public Kind kind() {
        return kind;
    }

    public String detail() {
        return detail;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
