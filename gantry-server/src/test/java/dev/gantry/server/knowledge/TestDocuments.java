package dev.gantry.server.knowledge;

import dev.gantry.knowledge.ingest.PdfFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Generated upload files: a Markdown handbook page, an HTML policy and a PDF with PDFBox, each with one fact. */
final class TestDocuments {

    static final String MARKDOWN = """
            # Leave

            ## Parental leave

            Parents receive sixteen weeks of paid parental leave after the birth or adoption of a child.
            """;

    static final String HTML = """
            <!doctype html><html><head><title>Security policy</title></head><body>
            <h1>Laptops</h1><p>Every laptop must use full disk encryption and lock after five minutes.</p>
            </body></html>""";

    private TestDocuments() {
    }

    static byte[] markdown() {
        return MARKDOWN.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] html() {
        return HTML.getBytes(StandardCharsets.UTF_8);
    }

    /** A two-page PDF; the second page holds the expense fact. */
    static byte[] pdf() {
        return pdf(List.of(
                List.of("Travel handbook", "Book trains for trips under four hours."),
                List.of("Expense claims are reimbursed within ten working days.")));
    }

    static byte[] pdf(List<List<String>> pages) {
        try {
            return PdfFixtures.pdf("Travel handbook", pages);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
