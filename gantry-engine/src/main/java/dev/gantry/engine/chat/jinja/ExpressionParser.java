package dev.gantry.engine.chat.jinja;

import dev.gantry.engine.chat.jinja.Token.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses expressions with Jinja2's grammar and operator precedence (lowest first): conditional
 * {@code x if c else y}; {@code or}; {@code and}; {@code not}; comparisons and {@code in}/{@code not in};
 * {@code + -}; {@code ~}; {@code * / // %}; {@code **}; unary {@code - +}; then a primary with its postfixes
 * ({@code .name}, {@code [i]}, {@code [a:b:c]}, calls) followed by filters ({@code | f}) and tests
 * ({@code is [not] t}).
 */
final class ExpressionParser {

    /** Names after {@code is name} that are never taken as the test's single unparenthesized argument. */
    private static final Set<String> NOT_TEST_ARGUMENTS = Set.of("else", "or", "and", "if", "in", "not", "is");

    private final TokenStream ts;

    ExpressionParser(TokenStream ts) {
        this.ts = ts;
    }

    /** An expression, or a tuple {@code a, b} (a list at run time). */
    Expr parseTuple(boolean withConditional) {
        Token start = ts.peek();
        Expr first = parseExpression(withConditional);
        if (!ts.peek().isOperator(",")) {
            return first;
        }
        List<Expr> items = new ArrayList<>();
        items.add(first);
        while (ts.acceptOperator(",")) {
            Type t = ts.peek().type();
            if (t == Type.BLOCK_END || t == Type.VAR_END || t == Type.EOF) {
                break;
            }
            items.add(parseExpression(withConditional));
        }
        return new Expr.ListLiteral(items, start.offset());
    }

    Expr parseExpression(boolean withConditional) {
        Expr e = parseOr();
        if (!withConditional) {
            return e;
        }
        while (ts.peek().isName("if")) {
            int at = ts.next().offset();
            Expr test = parseOr();
            Expr orElse = null;
            if (ts.peek().isName("else")) {
                ts.skip();
                orElse = parseExpression(true);
            }
            e = new Expr.Conditional(e, test, orElse, at);
        }
        return e;
    }

    private Expr parseOr() {
        Expr left = parseAnd();
        while (ts.peek().isName("or")) {
            int at = ts.next().offset();
            left = new Expr.Or(left, parseAnd(), at);
        }
        return left;
    }

    private Expr parseAnd() {
        Expr left = parseNot();
        while (ts.peek().isName("and")) {
            int at = ts.next().offset();
            left = new Expr.And(left, parseNot(), at);
        }
        return left;
    }

    private Expr parseNot() {
        if (ts.peek().isName("not")) {
            int at = ts.next().offset();
            return new Expr.Not(parseNot(), at);
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        Token start = ts.peek();
        Expr first = parseMath1();
        List<Expr.Comparison> rest = new ArrayList<>();
        while (true) {
            Token t = ts.peek();
            String op;
            if (t.type() == Type.OPERATOR && Set.of("==", "!=", "<", "<=", ">", ">=").contains(t.text())) {
                op = t.text();
                ts.skip();
            } else if (t.isName("in")) {
                op = "in";
                ts.skip();
            } else if (t.isName("not") && ts.peek(1).isName("in")) {
                op = "notin";
                ts.skip();
                ts.skip();
            } else {
                break;
            }
            rest.add(new Expr.Comparison(op, parseMath1()));
        }
        return rest.isEmpty() ? first : new Expr.Compare(first, rest, start.offset());
    }

    private Expr parseMath1() {
        Expr left = parseConcat();
        while (ts.peek().isOperator("+") || ts.peek().isOperator("-")) {
            Token op = ts.next();
            left = new Expr.Binary(op.text(), left, parseConcat(), op.offset());
        }
        return left;
    }

    private Expr parseConcat() {
        Expr left = parseMath2();
        while (ts.peek().isOperator("~")) {
            Token op = ts.next();
            left = new Expr.Binary("~", left, parseMath2(), op.offset());
        }
        return left;
    }

    private Expr parseMath2() {
        Expr left = parsePow();
        while (ts.peek().type() == Type.OPERATOR && Set.of("*", "/", "//", "%").contains(ts.peek().text())) {
            Token op = ts.next();
            left = new Expr.Binary(op.text(), left, parsePow(), op.offset());
        }
        return left;
    }

    private Expr parsePow() {
        Expr left = parseUnary(true);
        while (ts.peek().isOperator("**")) {
            Token op = ts.next();
            left = new Expr.Binary("**", left, parseUnary(true), op.offset());
        }
        return left;
    }

    private Expr parseUnary(boolean withFilter) {
        Token t = ts.peek();
        Expr node;
        if (t.isOperator("-") || t.isOperator("+")) {
            ts.skip();
            node = new Expr.Unary(t.text(), parseUnary(false), t.offset());
        } else {
            node = parsePrimary();
        }
        node = parsePostfix(node);
        return withFilter ? parseFilterExpr(node) : node;
    }

    private Expr parsePrimary() {
        Token t = ts.next();
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
                while (ts.peek().type() == Type.STRING) {
                    s.append(ts.next().text()); // "a" "b" is "ab", as in Python
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
                        if (ts.acceptOperator(")")) {
                            return new Expr.ListLiteral(List.of(), t.offset());
                        }
                        Expr e = parseExpression(true);
                        if (ts.peek().isOperator(",")) {
                            List<Expr> items = new ArrayList<>();
                            items.add(e);
                            while (ts.acceptOperator(",")) {
                                if (ts.peek().isOperator(")")) {
                                    break;
                                }
                                items.add(parseExpression(true));
                            }
                            e = new Expr.ListLiteral(items, t.offset());
                        }
                        ts.expectOperator(")");
                        return e;
                    }
                    case "[" -> {
                        List<Expr> items = new ArrayList<>();
                        while (!ts.acceptOperator("]")) {
                            if (!items.isEmpty()) {
                                ts.expectOperator(",");
                                if (ts.acceptOperator("]")) {
                                    break;
                                }
                            }
                            items.add(parseExpression(true));
                        }
                        return new Expr.ListLiteral(items, t.offset());
                    }
                    case "{" -> {
                        List<Expr.DictEntry> entries = new ArrayList<>();
                        while (!ts.acceptOperator("}")) {
                            if (!entries.isEmpty()) {
                                ts.expectOperator(",");
                                if (ts.acceptOperator("}")) {
                                    break;
                                }
                            }
                            Expr key = parseExpression(true);
                            ts.expectOperator(":");
                            entries.add(new Expr.DictEntry(key, parseExpression(true)));
                        }
                        return new Expr.DictLiteral(entries, t.offset());
                    }
                    default -> throw ts.error(t, "unexpected " + t.describe() + " in an expression");
                }
            }
            default -> throw ts.error(t, "unexpected " + t.describe() + " in an expression");
        }
    }

    private Expr parsePostfix(Expr node) {
        while (true) {
            Token t = ts.peek();
            if (t.isOperator(".")) {
                ts.skip();
                Token name = ts.next();
                if (name.type() == Type.NAME) {
                    node = new Expr.Attr(node, name.text(), name.offset());
                } else if (name.type() == Type.INTEGER) {
                    node = new Expr.Item(node, new Expr.Literal(Long.parseLong(name.text()), name.offset()),
                            name.offset());
                } else {
                    throw ts.error(name, "expected an attribute name after '.', found " + name.describe());
                }
            } else if (t.isOperator("[")) {
                ts.skip();
                node = parseSubscript(node, t);
            } else if (t.isOperator("(")) {
                ts.skip();
                node = new Expr.Call(node, parseCallArgs(), t.offset());
            } else {
                return node;
            }
        }
    }

    private Expr parseSubscript(Expr target, Token open) {
        Expr start = null;
        if (!ts.peek().isOperator(":")) {
            start = parseExpression(true);
            if (ts.acceptOperator("]")) {
                return new Expr.Item(target, start, open.offset());
            }
        }
        ts.expectOperator(":");
        Expr stop = null;
        Expr step = null;
        if (!ts.peek().isOperator("]") && !ts.peek().isOperator(":")) {
            stop = parseExpression(true);
        }
        if (ts.acceptOperator(":") && !ts.peek().isOperator("]")) {
            step = parseExpression(true);
        }
        ts.expectOperator("]");
        return new Expr.Slice(target, start, stop, step, open.offset());
    }

    /** Parses call arguments after the opening parenthesis, through the closing one. */
    Expr.Args parseCallArgs() {
        List<Expr> positional = new ArrayList<>();
        List<Expr.Kwarg> keywords = new ArrayList<>();
        Expr starArgs = null;
        Expr starKwargs = null;
        boolean first = true;
        while (!ts.acceptOperator(")")) {
            if (!first) {
                ts.expectOperator(",");
                if (ts.acceptOperator(")")) {
                    break;
                }
            }
            first = false;
            if (ts.acceptOperator("*")) {
                starArgs = parseExpression(true);
            } else if (ts.acceptOperator("**")) {
                starKwargs = parseExpression(true);
            } else if (ts.peek().type() == Type.NAME && ts.peek(1).isOperator("=")) {
                String name = ts.next().text();
                ts.skip();
                keywords.add(new Expr.Kwarg(name, parseExpression(true)));
            } else {
                positional.add(parseExpression(true));
            }
        }
        return new Expr.Args(positional, keywords, starArgs, starKwargs);
    }

    private Expr parseFilterExpr(Expr node) {
        while (true) {
            Token t = ts.peek();
            if (t.isOperator("|")) {
                ts.skip();
                node = parseFilterChain(node);
            } else if (t.isName("is")) {
                ts.skip();
                node = parseTest(node, t);
            } else if (t.isOperator("(")) {
                ts.skip();
                node = new Expr.Call(node, parseCallArgs(), t.offset());
            } else {
                return node;
            }
        }
    }

    /** Parses {@code name(args) | name2 ...} after a {@code |}, applied to {@code value}. */
    Expr parseFilterChain(Expr value) {
        Expr node = value;
        do {
            Token name = ts.next();
            if (name.type() != Type.NAME) {
                throw ts.error(name, "expected a filter name after '|', found " + name.describe());
            }
            Expr.Args args = ts.acceptOperator("(") ? parseCallArgs() : Expr.Args.NONE;
            node = new Expr.Filter(node, name.text(), args, name.offset());
        } while (ts.acceptOperator("|"));
        return node;
    }

    private Expr parseTest(Expr value, Token is) {
        boolean negated = false;
        if (ts.peek().isName("not")) {
            ts.skip();
            negated = true;
        }
        Token name = ts.next();
        if (name.type() != Type.NAME) {
            throw ts.error(name, "expected a test name after 'is', found " + name.describe());
        }
        Expr.Args args = Expr.Args.NONE;
        Token t = ts.peek();
        if (t.isOperator("(")) {
            ts.skip();
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
}
