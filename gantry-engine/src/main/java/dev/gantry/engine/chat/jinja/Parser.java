package dev.gantry.engine.chat.jinja;

import dev.gantry.engine.chat.jinja.Token.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser from tokens to the template AST. The expression grammar and operator precedence are
 * Jinja2's (lowest first): conditional {@code x if c else y}; {@code or}; {@code and}; {@code not}; comparisons
 * and {@code in}/{@code not in}; {@code + -}; {@code ~}; {@code * / // %}; {@code **}; unary {@code - +}; then a
 * primary with its postfixes ({@code .name}, {@code [i]}, {@code [a:b:c]}, calls) followed by filters
 * ({@code | f}) and tests ({@code is [not] t}).
 */
final class Parser {

    /** Names after {@code is name} that are never taken as the test's single unparenthesized argument. */
    private static final Set<String> NOT_TEST_ARGUMENTS = Set.of("else", "or", "and", "if", "in", "not", "is");
    static final String FILTER_BODY = "__body__";

    private final String source;
    private final List<Token> tokens;
    private int pos;

    Parser(String source, List<Token> tokens) {
        this.source = source;
        this.tokens = tokens;
    }

    List<Node> parseTemplate() {
        List<Node> body = parseBody(Set.of());
        expect(Type.EOF);
        return body;
    }

    // ---- statements ----

    private List<Node> parseBody(Set<String> ends) {
        List<Node> nodes = new ArrayList<>();
        while (true) {
            Token t = peek();
            switch (t.type()) {
                case EOF -> {
                    if (!ends.isEmpty()) {
                        throw error(t, "unexpected end of template; expected {% " + String.join(" or ", ends.stream()
                                .sorted().toList()) + " %}");
                    }
                    return nodes;
                }
                case TEXT -> {
                    pos++;
                    nodes.add(new Node.Text(t.text(), t.offset()));
                }
                case VAR_BEGIN -> {
                    pos++;
                    Expr e = parseTuple(true);
                    expect(Type.VAR_END);
                    nodes.add(new Node.Output(e, t.offset()));
                }
                case BLOCK_BEGIN -> {
                    Token keyword = peek(1);
                    if (keyword.type() == Type.NAME && ends.contains(keyword.text())) {
                        return nodes;
                    }
                    pos++;
                    Node statement = parseStatement(t);
                    if (statement != null) {
                        nodes.add(statement);
                    }
                }
                default -> throw error(t, "unexpected " + t.describe());
            }
        }
    }

    private Node parseStatement(Token open) {
        Token keyword = next();
        if (keyword.type() != Type.NAME) {
            throw error(keyword, "expected a tag name after '{%', found " + keyword.describe());
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
                Expr e = parseTuple(true);
                expect(Type.BLOCK_END);
                yield new Node.Do(e, at);
            }
            case "break" -> {
                expect(Type.BLOCK_END);
                yield new Node.Break(at);
            }
            case "continue" -> {
                expect(Type.BLOCK_END);
                yield new Node.Continue(at);
            }
            case "generation" -> {
                // Hugging Face's {% generation %} marks assistant tokens for training masks; it renders its body.
                expect(Type.BLOCK_END);
                List<Node> body = parseBody(Set.of("endgeneration"));
                endTag("endgeneration");
                yield new Node.With(List.of(), List.of(), body, at);
            }
            case "include", "import", "from", "extends", "block", "autoescape", "trans" ->
                    throw error(keyword, "the '" + keyword.text() + "' tag is not supported in chat templates");
            default -> throw error(keyword, "unknown tag '" + keyword.text() + "'");
        };
    }

    private Node parseIf(int at) {
        List<Node.Branch> branches = new ArrayList<>();
        Expr test = parseTuple(true);
        expect(Type.BLOCK_END);
        List<Node> body = parseBody(Set.of("elif", "else", "endif"));
        branches.add(new Node.Branch(test, body));
        List<Node> orElse = List.of();
        while (true) {
            expect(Type.BLOCK_BEGIN);
            Token keyword = next();
            switch (keyword.text()) {
                case "elif" -> {
                    Expr t = parseTuple(true);
                    expect(Type.BLOCK_END);
                    branches.add(new Node.Branch(t, parseBody(Set.of("elif", "else", "endif"))));
                }
                case "else" -> {
                    expect(Type.BLOCK_END);
                    orElse = parseBody(Set.of("endif"));
                }
                default -> {
                    expect(Type.BLOCK_END);
                    return new Node.If(branches, orElse, at);
                }
            }
        }
    }

    private Node parseFor(int at) {
        List<String> targets = parseTargets();
        Token in = next();
        if (!in.isName("in")) {
            throw error(in, "expected 'in' in a for loop, found " + in.describe());
        }
        Expr iterable = parseTuple(false);
        Expr filter = null;
        if (peek().isName("if")) {
            pos++;
            filter = parseTuple(true);
        }
        boolean recursive = false;
        if (peek().isName("recursive")) {
            pos++;
            recursive = true;
        }
        expect(Type.BLOCK_END);
        List<Node> body = parseBody(Set.of("else", "endfor"));
        List<Node> orElse = List.of();
        expect(Type.BLOCK_BEGIN);
        if (next().isName("else")) {
            expect(Type.BLOCK_END);
            orElse = parseBody(Set.of("endfor"));
            expect(Type.BLOCK_BEGIN);
            pos++; // endfor
        }
        expect(Type.BLOCK_END);
        return new Node.For(targets, iterable, filter, recursive, body, orElse, at);
    }

    private List<String> parseTargets() {
        List<String> names = new ArrayList<>();
        boolean parenthesized = peek().isOperator("(");
        if (parenthesized) {
            pos++;
        }
        do {
            Token name = next();
            if (name.type() != Type.NAME) {
                throw error(name, "expected a variable name, found " + name.describe());
            }
            names.add(name.text());
        } while (acceptOperator(","));
        if (parenthesized) {
            expectOperator(")");
        }
        return names;
    }

    private Node parseSet(int at) {
        if (peek().type() == Type.NAME && peek(1).isOperator(".") && peek(2).type() == Type.NAME
                && peek(3).isOperator("=")) {
            String namespace = next().text();
            pos++;
            String attribute = next().text();
            pos++;
            Expr value = parseTuple(true);
            expect(Type.BLOCK_END);
            return new Node.SetAttr(namespace, attribute, value, at);
        }
        List<String> targets = parseTargets();
        if (acceptOperator("=")) {
            Expr value = parseTuple(true);
            expect(Type.BLOCK_END);
            return new Node.Set(targets, value, at);
        }
        if (targets.size() != 1) {
            throw error(peek(), "a block set assigns exactly one name");
        }
        Expr filter = null;
        if (acceptOperator("|")) {
            filter = parseFilterChain(new Expr.Name(FILTER_BODY, at));
        }
        expect(Type.BLOCK_END);
        List<Node> body = parseBody(Set.of("endset"));
        endTag("endset");
        return new Node.SetBlock(targets.getFirst(), filter, body, at);
    }

    private Node parseMacro(int at) {
        Token name = next();
        if (name.type() != Type.NAME) {
            throw error(name, "expected a macro name, found " + name.describe());
        }
        List<Node.Param> params = parseParams();
        expect(Type.BLOCK_END);
        List<Node> body = parseBody(Set.of("endmacro"));
        expect(Type.BLOCK_BEGIN);
        pos++; // endmacro
        if (peek().type() == Type.NAME) {
            pos++; // optional repeated macro name
        }
        expect(Type.BLOCK_END);
        return new Node.Macro(name.text(), params, body, at);
    }

    private List<Node.Param> parseParams() {
        List<Node.Param> params = new ArrayList<>();
        expectOperator("(");
        while (!acceptOperator(")")) {
            if (!params.isEmpty()) {
                expectOperator(",");
                if (acceptOperator(")")) {
                    break;
                }
            }
            Token name = next();
            if (name.type() != Type.NAME) {
                throw error(name, "expected a parameter name, found " + name.describe());
            }
            Expr defaultValue = acceptOperator("=") ? parseExpression(true) : null;
            params.add(new Node.Param(name.text(), defaultValue));
        }
        return params;
    }

    private Node parseCallBlock(int at) {
        List<Node.Param> params = peek().isOperator("(") ? parseParams() : List.of();
        Token start = peek();
        Expr call = parseExpression(true);
        if (!(call instanceof Expr.Call c)) {
            throw error(start, "expected a call after {% call %}");
        }
        expect(Type.BLOCK_END);
        List<Node> body = parseBody(Set.of("endcall"));
        endTag("endcall");
        return new Node.CallBlock(c, params, body, at);
    }

    private Node parseFilterBlock(int at) {
        Expr chain = parseFilterChain(new Expr.Name(FILTER_BODY, at));
        expect(Type.BLOCK_END);
        List<Node> body = parseBody(Set.of("endfilter"));
        endTag("endfilter");
        return new Node.FilterBlock(chain, body, at);
    }

    private Node parseWith(int at) {
        List<String> names = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (peek().type() != Type.BLOCK_END) {
            if (!names.isEmpty()) {
                expectOperator(",");
            }
            Token name = next();
            if (name.type() != Type.NAME) {
                throw error(name, "expected a variable name, found " + name.describe());
            }
            expectOperator("=");
            names.add(name.text());
            values.add(parseExpression(true));
        }
        expect(Type.BLOCK_END);
        List<Node> body = parseBody(Set.of("endwith"));
        endTag("endwith");
        return new Node.With(names, values, body, at);
    }

    private void endTag(String name) {
        expect(Type.BLOCK_BEGIN);
        Token t = next();
        if (!t.isName(name)) {
            throw error(t, "expected {% " + name + " %}");
        }
        expect(Type.BLOCK_END);
    }

    // ---- expressions ----

    /** An expression, or a tuple {@code a, b} (a list at run time). */
    private Expr parseTuple(boolean withConditional) {
        Token start = peek();
        Expr first = parseExpression(withConditional);
        if (!peek().isOperator(",")) {
            return first;
        }
        List<Expr> items = new ArrayList<>();
        items.add(first);
        while (acceptOperator(",")) {
            Type t = peek().type();
            if (t == Type.BLOCK_END || t == Type.VAR_END || t == Type.EOF) {
                break;
            }
            items.add(parseExpression(withConditional));
        }
        return new Expr.ListLiteral(items, start.offset());
    }

    private Expr parseExpression(boolean withConditional) {
        Expr e = parseOr();
        if (!withConditional) {
            return e;
        }
        while (peek().isName("if")) {
            int at = next().offset();
            Expr test = parseOr();
            Expr orElse = null;
            if (peek().isName("else")) {
                pos++;
                orElse = parseExpression(true);
            }
            e = new Expr.Conditional(e, test, orElse, at);
        }
        return e;
    }

    private Expr parseOr() {
        Expr left = parseAnd();
        while (peek().isName("or")) {
            int at = next().offset();
            left = new Expr.Or(left, parseAnd(), at);
        }
        return left;
    }

    private Expr parseAnd() {
        Expr left = parseNot();
        while (peek().isName("and")) {
            int at = next().offset();
            left = new Expr.And(left, parseNot(), at);
        }
        return left;
    }

    private Expr parseNot() {
        if (peek().isName("not")) {
            int at = next().offset();
            return new Expr.Not(parseNot(), at);
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        Token start = peek();
        Expr first = parseMath1();
        List<Expr.Comparison> rest = new ArrayList<>();
        while (true) {
            Token t = peek();
            String op;
            if (t.type() == Type.OPERATOR && Set.of("==", "!=", "<", "<=", ">", ">=").contains(t.text())) {
                op = t.text();
                pos++;
            } else if (t.isName("in")) {
                op = "in";
                pos++;
            } else if (t.isName("not") && peek(1).isName("in")) {
                op = "notin";
                pos += 2;
            } else {
                break;
            }
            rest.add(new Expr.Comparison(op, parseMath1()));
        }
        return rest.isEmpty() ? first : new Expr.Compare(first, rest, start.offset());
    }

    private Expr parseMath1() {
        Expr left = parseConcat();
        while (peek().isOperator("+") || peek().isOperator("-")) {
            Token op = next();
            left = new Expr.Binary(op.text(), left, parseConcat(), op.offset());
        }
        return left;
    }

    private Expr parseConcat() {
        Expr left = parseMath2();
        while (peek().isOperator("~")) {
            Token op = next();
            left = new Expr.Binary("~", left, parseMath2(), op.offset());
        }
        return left;
    }

    private Expr parseMath2() {
        Expr left = parsePow();
        while (peek().type() == Type.OPERATOR && Set.of("*", "/", "//", "%").contains(peek().text())) {
            Token op = next();
            left = new Expr.Binary(op.text(), left, parsePow(), op.offset());
        }
        return left;
    }

    private Expr parsePow() {
        Expr left = parseUnary(true);
        while (peek().isOperator("**")) {
            Token op = next();
            left = new Expr.Binary("**", left, parseUnary(true), op.offset());
        }
        return left;
    }

    private Expr parseUnary(boolean withFilter) {
        Token t = peek();
        Expr node;
        if (t.isOperator("-") || t.isOperator("+")) {
            pos++;
            node = new Expr.Unary(t.text(), parseUnary(false), t.offset());
        } else {
            node = parsePrimary();
        }
        node = parsePostfix(node);
        return withFilter ? parseFilterExpr(node) : node;
    }

    private Expr parsePrimary() {
        Token t = next();
        switch (t.type()) {
            case NAME -> {
                return switch (t.text()) {
                    case "true", "True" -> new Expr.Literal(Boolean.TRUE, t.offset());
                    case "false", "False" -> new Expr.Literal(Boolean.FALSE, t.offset());
                    case "none", "None", "null" -> new Expr.Literal(null, t.offset());
                    default -> new Expr.Name(t.text(), t.offset());
                };
            }
            case STRING -> {
                StringBuilder s = new StringBuilder(t.text());
                while (peek().type() == Type.STRING) {
                    s.append(next().text()); // "a" "b" is "ab", as in Python
                }
                return new Expr.Literal(s.toString(), t.offset());
            }
            case INTEGER -> {
                try {
                    return new Expr.Literal(Long.parseLong(t.text()), t.offset());
                } catch (NumberFormatException e) {
                    return new Expr.Literal(Double.parseDouble(t.text()), t.offset());
                }
            }
            case FLOAT -> {
                return new Expr.Literal(Double.parseDouble(t.text()), t.offset());
            }
            case OPERATOR -> {
                switch (t.text()) {
                    case "(" -> {
                        if (acceptOperator(")")) {
                            return new Expr.ListLiteral(List.of(), t.offset());
                        }
                        Expr e = parseExpression(true);
                        if (peek().isOperator(",")) {
                            List<Expr> items = new ArrayList<>();
                            items.add(e);
                            while (acceptOperator(",")) {
                                if (peek().isOperator(")")) {
                                    break;
                                }
                                items.add(parseExpression(true));
                            }
                            e = new Expr.ListLiteral(items, t.offset());
                        }
                        expectOperator(")");
                        return e;
                    }
                    case "[" -> {
                        List<Expr> items = new ArrayList<>();
                        while (!acceptOperator("]")) {
                            if (!items.isEmpty()) {
                                expectOperator(",");
                                if (acceptOperator("]")) {
                                    break;
                                }
                            }
                            items.add(parseExpression(true));
                        }
                        return new Expr.ListLiteral(items, t.offset());
                    }
                    case "{" -> {
                        List<Expr.DictEntry> entries = new ArrayList<>();
                        while (!acceptOperator("}")) {
                            if (!entries.isEmpty()) {
                                expectOperator(",");
                                if (acceptOperator("}")) {
                                    break;
                                }
                            }
                            Expr key = parseExpression(true);
                            expectOperator(":");
                            entries.add(new Expr.DictEntry(key, parseExpression(true)));
                        }
                        return new Expr.DictLiteral(entries, t.offset());
                    }
                    default -> throw error(t, "unexpected " + t.describe() + " in an expression");
                }
            }
            default -> throw error(t, "unexpected " + t.describe() + " in an expression");
        }
    }

    private Expr parsePostfix(Expr node) {
        while (true) {
            Token t = peek();
            if (t.isOperator(".")) {
                pos++;
                Token name = next();
                if (name.type() == Type.NAME) {
                    node = new Expr.Attr(node, name.text(), name.offset());
                } else if (name.type() == Type.INTEGER) {
                    node = new Expr.Item(node, new Expr.Literal(Long.parseLong(name.text()), name.offset()),
                            name.offset());
                } else {
                    throw error(name, "expected an attribute name after '.', found " + name.describe());
                }
            } else if (t.isOperator("[")) {
                pos++;
                node = parseSubscript(node, t);
            } else if (t.isOperator("(")) {
                pos++;
                node = new Expr.Call(node, parseCallArgs(), t.offset());
            } else {
                return node;
            }
        }
    }

    private Expr parseSubscript(Expr target, Token open) {
        Expr start = null;
        if (!peek().isOperator(":")) {
            start = parseExpression(true);
            if (acceptOperator("]")) {
                return new Expr.Item(target, start, open.offset());
            }
        }
        expectOperator(":");
        Expr stop = null;
        Expr step = null;
        if (!peek().isOperator("]") && !peek().isOperator(":")) {
            stop = parseExpression(true);
        }
        if (acceptOperator(":") && !peek().isOperator("]")) {
            step = parseExpression(true);
        }
        expectOperator("]");
        return new Expr.Slice(target, start, stop, step, open.offset());
    }

    /** Parses call arguments after the opening parenthesis, through the closing one. */
    private Expr.Args parseCallArgs() {
        List<Expr> positional = new ArrayList<>();
        List<Expr.Kwarg> keywords = new ArrayList<>();
        Expr starArgs = null;
        Expr starKwargs = null;
        boolean first = true;
        while (!acceptOperator(")")) {
            if (!first) {
                expectOperator(",");
                if (acceptOperator(")")) {
                    break;
                }
            }
            first = false;
            if (acceptOperator("*")) {
                starArgs = parseExpression(true);
            } else if (acceptOperator("**")) {
                starKwargs = parseExpression(true);
            } else if (peek().type() == Type.NAME && peek(1).isOperator("=")) {
                String name = next().text();
                pos++;
                keywords.add(new Expr.Kwarg(name, parseExpression(true)));
            } else {
                positional.add(parseExpression(true));
            }
        }
        return new Expr.Args(positional, keywords, starArgs, starKwargs);
    }

    private Expr parseFilterExpr(Expr node) {
        while (true) {
            Token t = peek();
            if (t.isOperator("|")) {
                pos++;
                node = parseFilterChain(node);
            } else if (t.isName("is")) {
                pos++;
                node = parseTest(node, t);
            } else if (t.isOperator("(")) {
                pos++;
                node = new Expr.Call(node, parseCallArgs(), t.offset());
            } else {
                return node;
            }
        }
    }

    /** Parses {@code name(args) | name2 ...} after a {@code |}, applied to {@code value}. */
    private Expr parseFilterChain(Expr value) {
        Expr node = value;
        do {
            Token name = next();
            if (name.type() != Type.NAME) {
                throw error(name, "expected a filter name after '|', found " + name.describe());
            }
            Expr.Args args = acceptOperator("(") ? parseCallArgs() : Expr.Args.NONE;
            node = new Expr.Filter(node, name.text(), args, name.offset());
        } while (acceptOperator("|"));
        return node;
    }

    private Expr parseTest(Expr value, Token is) {
        boolean negated = false;
        if (peek().isName("not")) {
            pos++;
            negated = true;
        }
        Token name = next();
        if (name.type() != Type.NAME) {
            throw error(name, "expected a test name after 'is', found " + name.describe());
        }
        Expr.Args args = Expr.Args.NONE;
        Token t = peek();
        if (t.isOperator("(")) {
            pos++;
            args = parseCallArgs();
        } else if ((t.type() == Type.NAME && !NOT_TEST_ARGUMENTS.contains(t.text()))
                || t.type() == Type.STRING || t.type() == Type.INTEGER || t.type() == Type.FLOAT
                || t.isOperator("[") || t.isOperator("{")) {
            args = new Expr.Args(List.of(parsePostfix(parsePrimary())), List.of(), null, null);
        }
        String testName = switch (name.text()) {
            case "None" -> "none";
            case "True" -> "true";
            case "False" -> "false";
            default -> name.text();
        };
        return new Expr.Test(value, testName, args, negated, is.offset());
    }

    // ---- token stream ----

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.type() != Type.EOF) {
            pos++;
        }
        return t;
    }

    private void expect(Type type) {
        Token t = next();
        if (t.type() != type) {
            throw error(t, "expected " + new Token(type, "", 0).describe() + " but found " + t.describe());
        }
    }

    private boolean acceptOperator(String op) {
        if (peek().isOperator(op)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expectOperator(String op) {
        Token t = next();
        if (!t.isOperator(op)) {
            throw error(t, "expected '" + op + "' but found " + t.describe());
        }
    }

    private TemplateException error(Token at, String message) {
        return TemplateException.at(TemplateException.Kind.SYNTAX, source, at.offset(), message);
    }
}
