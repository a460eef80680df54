package dev.gantry.engine.chat.jinja;

/**
 * One lexical token of a template. For {@link Type#TEXT} {@code text} is the literal output (whitespace control
 * already applied), for {@link Type#STRING} the decoded string value, otherwise the lexeme. {@code offset} is the
 * character position in the source, for error messages.
 */
record Token(Type type, String text, int offset) {

    enum Type {
        TEXT, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF
    }

    boolean is(Type t, String lexeme) {
        return type == t && text.equals(lexeme);
    }

    boolean isOperator(String lexeme) {
        return is(Type.OPERATOR, lexeme);
    }

    boolean isName(String name) {
        return is(Type.NAME, name);
    }

    String describe() {
        return switch (type) {
            case EOF -> "end of template";
            case TEXT -> "template text";
            case VAR_BEGIN -> "'{{'";
            case VAR_END -> "'}}'";
            case BLOCK_BEGIN -> "'{%'";
            case BLOCK_END -> "'%}'";
            case STRING -> "string literal";
            default -> "'" + text + "'";
        };
    }
}
