package dev.gantry.engine.chat.jinja;

import dev.gantry.engine.chat.jinja.Token.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser from tokens to the template AST: the statements ({@code if}, {@code for}, {@code set},
 * {@code macro}, ...); expressions are {@link ExpressionParser}'s.
 */
final class Parser {

    static final String FILTER_BODY = "__body__";

    private final TokenStream ts;
    private final ExpressionParser expressions;

    Parser(String source, List<Token> tokens) {
        this.ts = new TokenStream(source, tokens);
        this.expressions = new ExpressionParser(ts);
    }

    List<Node> parseTemplate() {
        List<Node> body = parseBody(Set.of());
        ts.expect(Type.EOF);
        return body;
    }

    // ---- statements ----

    private List<Node> parseBody(Set<String> ends) {
        List<Node> nodes = new ArrayList<>();
        while (true) {
            Token t = ts.peek();
            switch (t.type()) {
                case EOF -> {
                    if (!ends.isEmpty()) {
                        throw ts.error(t, "unexpected end of template; expected {% " + String.join(" or ", ends.stream()
                                .sorted().toList()) + " %}");
                    }
                    return nodes;
                }
                case TEXT -> {
                    ts.skip();
                    nodes.add(new Node.Text(t.text(), t.offset()));
                }
                case VAR_BEGIN -> {
                    ts.skip();
                    Expr e = expressions.parseTuple(true);
                    ts.expect(Type.VAR_END);
                    nodes.add(new Node.Output(e, t.offset()));
                }
                case BLOCK_BEGIN -> {
                    Token keyword = ts.peek(1);
                    if (keyword.type() == Type.NAME && ends.contains(keyword.text())) {
                        return nodes;
                    }
                    ts.skip();
                    Node statement = parseStatement(t);
                    if (statement != null) {
                        nodes.add(statement);
                    }
                }
                default -> throw ts.error(t, "unexpected " + t.describe());
            }
        }
    }

    private Node parseStatement(Token open) {
        Token keyword = ts.next();
        if (keyword.type() != Type.NAME) {
            throw ts.error(keyword, "expected a tag name after '{%', found " + keyword.describe());
        }
        int at = open.offset();
        return switch (keyword.text()) {
            case "if" -> parseIf(at);
            case "for" -> parseFor(at);
            case "set" -> parseSet(at);
            case "macro" -> parseMacro(at);
            case "call" -> parseCallBlock(at);
            case "filter" -> parseFilterBlock(at);
            case "with" -> parseWith(at);
            case "do" -> {
                Expr e = expressions.parseTuple(true);
                ts.expect(Type.BLOCK_END);
                yield new Node.Do(e, at);
            }
            case "break" -> {
                ts.expect(Type.BLOCK_END);
                yield new Node.Break(at);
            }
            case "continue" -> {
                ts.expect(Type.BLOCK_END);
                yield new Node.Continue(at);
            }
            case "generation" -> {
                // Hugging Face's {% generation %} marks assistant tokens for training masks; it renders its body.
                ts.expect(Type.BLOCK_END);
                List<Node> body = parseBody(Set.of("endgeneration"));
                endTag("endgeneration");
                yield new Node.With(List.of(), List.of(), body, at);
            }
            case "include", "import", "from", "extends", "block", "autoescape", "trans" ->
                    throw ts.error(keyword, "the '" + keyword.text() + "' tag is not supported in chat templates");
            default -> throw ts.error(keyword, "unknown tag '" + keyword.text() + "'");
        };
    }

    private Node parseIf(int at) {
        List<Node.Branch> branches = new ArrayList<>();
        Expr test = expressions.parseTuple(true);
        ts.expect(Type.BLOCK_END);
        List<Node> body = parseBody(Set.of("elif", "else", "endif"));
        branches.add(new Node.Branch(test, body));
        List<Node> orElse = List.of();
        while (true) {
            ts.expect(Type.BLOCK_BEGIN);
            Token keyword = ts.next();
            switch (keyword.text()) {
                case "elif" -> {
                    Expr t = expressions.parseTuple(true);
                    ts.expect(Type.BLOCK_END);
                    branches.add(new Node.Branch(t, parseBody(Set.of("elif", "else", "endif"))));
                }
                case "else" -> {
                    ts.expect(Type.BLOCK_END);
                    orElse = parseBody(Set.of("endif"));
                }
                default -> {
                    ts.expect(Type.BLOCK_END);
                    return new Node.If(branches, orElse, at);
                }
            }
        }
    }

    private Node parseFor(int at) {
        List<String> targets = parseTargets();
        Token in = ts.next();
        if (!in.isName("in")) {
            throw ts.error(in, "expected 'in' in a for loop, found " + in.describe());
        }
        Expr iterable = expressions.parseTuple(false);
        Expr filter = null;
        if (ts.peek().isName("if")) {
            ts.skip();
            filter = expressions.parseTuple(true);
        }
        boolean recursive = false;
        if (ts.peek().isName("recursive")) {
            ts.skip();
            recursive = true;
        }
        ts.expect(Type.BLOCK_END);
        List<Node> body = parseBody(Set.of("else", "endfor"));
        List<Node> orElse = List.of();
        ts.expect(Type.BLOCK_BEGIN);
        if (ts.next().isName("else")) {
            ts.expect(Type.BLOCK_END);
            orElse = parseBody(Set.of("endfor"));
            ts.expect(Type.BLOCK_BEGIN);
            ts.skip(); // endfor
        }
        ts.expect(Type.BLOCK_END);
        return new Node.For(targets, iterable, filter, recursive, body, orElse, at);
    }

    private List<String> parseTargets() {
        List<String> names = new ArrayList<>();
        boolean parenthesized = ts.peek().isOperator("(");
        if (parenthesized) {
            ts.skip();
        }
        do {
            Token name = ts.next();
            if (name.type() != Type.NAME) {
                throw ts.error(name, "expected a variable name, found " + name.describe());
            }
            names.add(name.text());
        } while (ts.acceptOperator(","));
        if (parenthesized) {
            ts.expectOperator(")");
        }
        return names;
    }

    private Node parseSet(int at) {
        if (ts.peek().type() == Type.NAME && ts.peek(1).isOperator(".") && ts.peek(2).type() == Type.NAME
                && ts.peek(3).isOperator("=")) {
            String namespace = ts.next().text();
            ts.skip();
            String attribute = ts.next().text();
            ts.skip();
            Expr value = expressions.parseTuple(true);
            ts.expect(Type.BLOCK_END);
            return new Node.SetAttr(namespace, attribute, value, at);
        }
        List<String> targets = parseTargets();
        if (ts.acceptOperator("=")) {
            Expr value = expressions.parseTuple(true);
            ts.expect(Type.BLOCK_END);
            return new Node.Set(targets, value, at);
        }
        if (targets.size() != 1) {
            throw ts.error(ts.peek(), "a block set assigns exactly one name");
        }
        Expr filter = null;
        if (ts.acceptOperator("|")) {
            filter = expressions.parseFilterChain(new Expr.Name(FILTER_BODY, at));
        }
        ts.expect(Type.BLOCK_END);
        List<Node> body = parseBody(Set.of("endset"));
        endTag("endset");
        return new Node.SetBlock(targets.getFirst(), filter, body, at);
    }

    private Node parseMacro(int at) {
        Token name = ts.next();
        if (name.type() != Type.NAME) {
            throw ts.error(name, "expected a macro name, found " + name.describe());
        }
        List<Node.Param> params = parseParams();
        ts.expect(Type.BLOCK_END);
        List<Node> body = parseBody(Set.of("endmacro"));
        ts.expect(Type.BLOCK_BEGIN);
        ts.skip(); // endmacro
        if (ts.peek().type() == Type.NAME) {
            ts.skip(); // optional repeated macro name
        }
        ts.expect(Type.BLOCK_END);
        return new Node.Macro(name.text(), params, body, at);
    }

    private List<Node.Param> parseParams() {
        List<Node.Param> params = new ArrayList<>();
        ts.expectOperator("(");
        while (!ts.acceptOperator(")")) {
            if (!params.isEmpty()) {
                ts.expectOperator(",");
                if (ts.acceptOperator(")")) {
                    break;
                }
            }
            Token name = ts.next();
            if (name.type() != Type.NAME) {
                throw ts.error(name, "expected a parameter name, found " + name.describe());
            }
            Expr defaultValue = ts.acceptOperator("=") ? expressions.parseExpression(true) : null;
            params.add(new Node.Param(name.text(), defaultValue));
        }
        return params;
    }

    private Node parseCallBlock(int at) {
        List<Node.Param> params = ts.peek().isOperator("(") ? parseParams() : List.of();
        Token start = ts.peek();
        Expr call = expressions.parseExpression(true);
        if (!(call instanceof Expr.Call c)) {
            throw ts.error(start, "expected a call after {% call %}");
        }
        ts.expect(Type.BLOCK_END);
        List<Node> body = parseBody(Set.of("endcall"));
        endTag("endcall");
        return new Node.CallBlock(c, params, body, at);
    }

    private Node parseFilterBlock(int at) {
        Expr chain = expressions.parseFilterChain(new Expr.Name(FILTER_BODY, at));
        ts.expect(Type.BLOCK_END);
        List<Node> body = parseBody(Set.of("endfilter"));
        endTag("endfilter");
        return new Node.FilterBlock(chain, body, at);
    }

    private Node parseWith(int at) {
        List<String> names = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (ts.peek().type() != Type.BLOCK_END) {
            if (!names.isEmpty()) {
                ts.expectOperator(",");
            }
            Token name = ts.next();
            if (name.type() != Type.NAME) {
                throw ts.error(name, "expected a variable name, found " + name.describe());
            }
            ts.expectOperator("=");
            names.add(name.text());
            values.add(expressions.parseExpression(true));
        }
        ts.expect(Type.BLOCK_END);
        List<Node> body = parseBody(Set.of("endwith"));
        endTag("endwith");
        return new Node.With(names, values, body, at);
    }

    private void endTag(String name) {
        ts.expect(Type.BLOCK_BEGIN);
        Token t = ts.next();
        if (!t.isName(name)) {
            throw ts.error(t, "expected {% " + name + " %}");
        }
        ts.expect(Type.BLOCK_END);
    }
}
