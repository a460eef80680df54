package dev.gantry.knowledge.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Writes test PDFs with PDFBox: one page per entry, each page a list of paragraphs (lines of text). */
public final class PdfFixtures {
    private PdfFixtures() {
    }

    public static byte[] pdf(String title, List<List<String>> pages) throws IOException {
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
                        y -= 40; // a paragraph gap PDFBox's stripper recognises
                    }
                }
            }
            if (title != null) {
                doc.getDocumentInformation().setTitle(title);
            }
            doc.save(out);
            return out.toByteArray();
        }
    }
}
