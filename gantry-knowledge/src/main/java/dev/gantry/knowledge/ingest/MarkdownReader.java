package dev.gantry.knowledge.ingest;

import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.jsoup.Jsoup;

/**
 * Markdown (CommonMark, via commonmark-java): headings become heading blocks that set the heading path,
 * paragraphs, list items, block quotes and code blocks become blocks of their kind. Inline markup is dropped
 * (emphasis, links keep their text); raw HTML blocks keep only their text.
 */
public final class MarkdownReader implements DocumentReader {
    private final Parser parser = Parser.builder().build();

    @Override
    public ExtractedText read(byte[] content, String name) throws DocumentRejectedException {
        Node document = parser.parse(PlainTextReader.decode(content));
        ExtractedTextBuilder out = new ExtractedTextBuilder();
        document.accept(new BlockVisitor(out));
        return DocumentReader.requireText(out.build(), name, "");
    }

    /** Walks block nodes; inline content is flattened by {@link #inlineText(Node)}. */
    private static final class BlockVisitor extends AbstractVisitor {
        private final ExtractedTextBuilder out;
        private BlockKind kind = BlockKind.PARAGRAPH;

        BlockVisitor(ExtractedTextBuilder out) {
            this.out = out;
        }

        @Override
        public void visit(Heading heading) {
            out.heading(heading.getLevel(), inlineText(heading));
        }

        @Override
        public void visit(Paragraph paragraph) {
            out.block(kind, inlineText(paragraph));
        }

        @Override
        public void visit(ListItem item) {
            withKind(BlockKind.LIST_ITEM, item);
        }

        @Override
        public void visit(BlockQuote quote) {
            withKind(BlockKind.QUOTE, quote);
        }

        @Override
        public void visit(FencedCodeBlock code) {
            out.block(BlockKind.CODE, code.getLiteral());
        }

        @Override
        public void visit(IndentedCodeBlock code) {
            out.block(BlockKind.CODE, code.getLiteral());
        }

        @Override
        public void visit(HtmlBlock html) {
            out.block(kind, Jsoup.parse(html.getLiteral()).text());
        }

        private void withKind(BlockKind inner, Node node) {
            BlockKind outer = kind;
            kind = inner;
            visitChildren(node);
            kind = outer;
        }
    }

    private static String inlineText(Node node) {
        StringBuilder sb = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text text) {
                sb.append(text.getLiteral());
            }

            @Override
            public void visit(Code code) {
                sb.append(code.getLiteral());
            }

            @Override
            public void visit(SoftLineBreak lineBreak) {
                sb.append(' ');
            }

            @Override
            public void visit(HardLineBreak lineBreak) {
                sb.append(' ');
            }
        });
        return sb.toString();
    }
}
