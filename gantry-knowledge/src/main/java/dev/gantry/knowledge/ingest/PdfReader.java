package dev.gantry.knowledge.ingest;

import java.io.IOException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDF (PDFBox): text extracted page by page in reading order, so every block carries its 1-based page number;
 * paragraphs are PDFBox's paragraph breaks. PDFs have no reliable heading markup, so blocks are paragraphs only.
 * A PDF without a text layer (a scan) is rejected as empty rather than indexed as nothing.
 */
public final class PdfReader implements DocumentReader {

    @Override
    public ExtractedText read(byte[] content, String name) throws DocumentRejectedException {
        try (PDDocument pdf = Loader.loadPDF(content)) {
            ExtractedTextBuilder out = new ExtractedTextBuilder();
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            stripper.setLineSeparator("\n");
            stripper.setParagraphStart("");
            stripper.setParagraphEnd("\n\n");
            int pages = pdf.getNumberOfPages();
            for (int page = 1; page <= pages; page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                for (String paragraph : stripper.getText(pdf).split("\\n\\s*\\n")) {
                    out.block(BlockKind.PARAGRAPH, paragraph, page);
                }
            }
            out.title(pdf.getDocumentInformation().getTitle()).pages(pages);
            return DocumentReader.requireText(out.build(), name, "no text layer; scanned PDFs need OCR first");
        } catch (InvalidPasswordException e) {
            throw new DocumentRejectedException(DocumentRejectedException.Problem.UNREADABLE,
                    "'" + name + "' is an encrypted PDF that needs a password", e);
        } catch (IOException e) {
            throw new DocumentRejectedException(DocumentRejectedException.Problem.UNREADABLE,
                    "'" + name + "' is not a readable PDF: " + e.getMessage(), e);
        }
    }
}
