package dev.gantry.server.knowledge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

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
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (List<String> paragraphs : pages) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    float y = 780;
                    for (String paragraph : paragraphs) {
                        content.beginText();
                        content.setFont(font, 11);
                        content.newLineAtOffset(60, y);
                        content.showText(paragraph);
                        content.endText();
                        y -= 40;
                    }
                }
            }
            doc.getDocumentInformation().setTitle("Travel handbook");
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
