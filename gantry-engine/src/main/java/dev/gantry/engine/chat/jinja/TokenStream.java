package dev.gantry.engine.chat.jinja;

import dev.gantry.engine.chat.jinja.Token.Type;

import java.util.List;

/** The parsers' cursor over the token list, with the small look-ahead and expectation helpers they share. */
final class TokenStream {

    private final String source;
    private final List<Token> tokens;
    private int pos;

    TokenStream(String source, List<Token> tokens) {
        this.source = source;
        this.tokens = tokens;
    }

    /** Moves past the current token. */
    void skip() {
        if (tokens.get(pos).type() != Type.EOF) {
            pos++;
        }
    }

    Token peek() {
        return tokens.get(pos);
    }

    Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(pos);
        if (t.type() != Type.EOF) {
            pos++;
        }
        return t;
    }

    void expect(Type type) {
        Token t = next();
        if (t.type() != type) {
            throw error(t, "expected " + new Token(type, "", 0).describe() + " but found " + t.describe());
        }
    }

    boolean acceptOperator(String op) {
        if (peek().isOperator(op)) {
            pos++;
            return true;
        }
        return false;
    }

    void expectOperator(String op) {
        Token t = next();
        if (!t.isOperator(op)) {
            throw error(t, "expected '" + op + "' but found " + t.describe());
        }
    }

    TemplateException error(Token at, String message) {
        return TemplateException.at(TemplateException.Kind.SYNTAX, source, at.offset(), message);
    }
}
