package dev.gantry.knowledge.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * HTML (jsoup; the charset comes from the bytes' BOM or {@code <meta charset>}, else UTF-8). Scripts, styles,
 * navigation, forms and other page chrome are dropped; {@code h1..h6} become headings, table rows become one
 * block each (cells joined by {@code " | "}), and every other block element ({@code p}, {@code li},
 * {@code blockquote}, {@code pre}, {@code div}, ...) closes the text run before it. The title is
 * {@code <title>}, else the first {@code h1}.
 */
public final class HtmlReader implements DocumentReader {
    /** Not content: code, styling, page navigation and widgets. */
    private static final String CHROME = "script, style, noscript, template, nav, iframe, svg, canvas, object, embed, "
            + "form, button, select, textarea, [role=navigation], [hidden], [aria-hidden=true], "
            + "body > header, body > footer";
    private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");

    @Override
    public ExtractedText read(byte[] content, String name) throws DocumentRejectedException {
        Document document;
        try {
            document = Jsoup.parse(new ByteArrayInputStream(content), null, "");
        } catch (IOException e) {
            throw new DocumentRejectedException(DocumentRejectedException.Problem.UNREADABLE,
                    "'" + name + "' is not readable HTML: " + e.getMessage(), e);
        }
        document.select(CHROME).remove();
        ExtractedTextBuilder out = new ExtractedTextBuilder();
        Walker walker = new Walker(out);
        walker.element(document.body(), BlockKind.PARAGRAPH);
        walker.flush(BlockKind.PARAGRAPH);
        out.title(document.title());
        return DocumentReader.requireText(out.build(), name, "");
    }

    /** Depth-first walk that buffers inline text and flushes it as a block at every block boundary. */
    private static final class Walker {
        private final ExtractedTextBuilder out;
        private final StringBuilder run = new StringBuilder();

        Walker(ExtractedTextBuilder out) {
            this.out = out;
        }

        void element(Element element, BlockKind kind) {
            for (Node child : element.childNodes()) {
                if (child instanceof TextNode text) {
                    run.append(text.getWholeText());
                } else if (child instanceof Element e) {
                    child(e, kind);
                }
            }
        }

        private void child(Element e, BlockKind kind) {
            String tag = e.normalName().toLowerCase(Locale.ROOT);
            if (HEADINGS.contains(tag)) {
                flush(kind);
                out.heading(tag.charAt(1) - '0', e.text());
            } else if (tag.equals("br")) {
                run.append(' ');
            } else if (tag.equals("pre")) {
                flush(kind);
                out.block(BlockKind.CODE, e.wholeText());
            } else if (tag.equals("tr")) {
                flush(kind);
                out.block(BlockKind.TABLE_ROW, String.join(" | ", e.select("> th, > td").eachText()));
            } else if (e.isBlock()) {
                flush(kind);
                BlockKind inner = switch (tag) {
                    case "li", "dd", "dt" -> BlockKind.LIST_ITEM;
                    case "blockquote" -> BlockKind.QUOTE;
                    default -> kind;
                };
                element(e, inner);
                flush(inner);
            } else {
                element(e, kind);
                run.append(' ');
            }
        }

        void flush(BlockKind kind) {
            out.block(kind, run.toString());
            run.setLength(0);
        }
    }
}
