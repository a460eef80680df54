package dev.gantry.engine.chat.jinja;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A compiled Jinja template. Compile once, render many times; a template is immutable and may be rendered from
 * several threads at once.
 *
 * <pre>{@code
 * Template t = Template.compile("{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}");
 * String text = t.render(Map.of("messages", List.of(Map.of("role", "user", "content", "Hi"))));
 * }</pre>
 *
 * Variables may be {@code String}, any {@code Number}, {@code Boolean}, {@code null}, {@code List} (or array),
 * {@code Map} and {@link JinjaFunction}; they are copied, so a template never changes the caller's data.
 */
public final class Template {

    /** Lexer options; {@link #CHAT} is how Hugging Face and llama.cpp compile chat templates. */
    public record Options(boolean trimBlocks, boolean lstripBlocks, boolean keepTrailingNewline) {
        public static final Options CHAT = new Options(true, true, false);
    }

    private final String source;
    private final List<Node> body;

    private Template(String source, List<Node> body) {
        this.source = source;
        this.body = body;
    }

    /** Compiles with {@link Options#CHAT}; a syntax error is a {@link TemplateException} with line and column. */
    public static Template compile(String source) {
        return compile(source, Options.CHAT);
    }

    public static Template compile(String source, Options options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        List<Token> tokens = new Lexer(source, options.trimBlocks(), options.lstripBlocks(),
                options.keepTrailingNewline()).tokenize();
        return new Template(source, new Parser(source, tokens).parseTemplate());
    }

    public String source() {
        return source;
    }

    /**
     * Renders with the given variables (on top of the built-ins: {@code range}, {@code dict},
     * {@code namespace}, {@code joiner}, {@code cycler}, {@code raise_exception}).
     *
     * @throws TemplateException if evaluation fails or the template raises; {@link TemplateException#kind()}
     *     tells which
     */
    public String render(Map<String, ?> variables) {
        Scope scope = new Scope(Builtins.newScope());
        variables.forEach((name, value) -> scope.set(name, Values.normalize(value)));
        StringBuilder out = new StringBuilder();
        try {
            new Interpreter(source).renderTemplate(body, scope, out);
        } catch (StackOverflowError e) {
            throw TemplateException.at(TemplateException.Kind.RENDER, source, 0,
                    "the template nests too deeply to render");
        }
        return out.toString();
    }
}
