/**
 * A small Jinja2 interpreter for chat templates: {@link dev.gantry.engine.chat.jinja.Template} compiles source
 * (lexer with whitespace control, recursive-descent parser to an AST) and renders it (tree-walking interpreter).
 *
 * <p>It covers what real chat templates use: output, comments, {@code raw}, {@code -}/{@code +} whitespace
 * control with {@code trim_blocks}/{@code lstrip_blocks}; {@code if}, {@code for} (with {@code loop}, {@code else},
 * inline {@code if} filters, unpacking, {@code break}/{@code continue}, {@code recursive}), {@code set} (also
 * block form and {@code namespace()} attributes), {@code macro}, {@code call}, {@code filter}, {@code with},
 * {@code do}; Jinja2's operators and precedence, slicing, literals; Jinja's filters and tests; and the Python
 * methods templates call on strings, dicts and lists.
 *
 * <p>Semantics are Jinja2's (Python's), except where llama.cpp's engine, minja, differs in ways real templates
 * depend on; those places say so ({@code NOTE:}). The main one: None and undefined are one value.
 */
package dev.gantry.engine.chat.jinja;
