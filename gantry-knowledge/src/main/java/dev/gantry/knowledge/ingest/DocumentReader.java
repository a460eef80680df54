package dev.gantry.knowledge.ingest;

/** Extracts text and structure from one document format. Implementations are stateless and thread-safe. */
public interface DocumentReader {

    /**
     * @param content the document's bytes
     * @param name    the document's name, for error messages
     * @return the extracted text; never blank (a blank document is rejected as {@code EMPTY})
     */
    ExtractedText read(byte[] content, String name) throws DocumentRejectedException;

    /** Rejects an extraction without text, the same way for every format. */
    static ExtractedText requireText(ExtractedText text, String name, String hint) throws DocumentRejectedException {
        if (text.blocks().isEmpty() || text.isBlank()) {
            throw new DocumentRejectedException(DocumentRejectedException.Problem.EMPTY,
                    "'" + name + "' contains no text" + (hint.isEmpty() ? "" : " (" + hint + ")"));
        }
        return text;
    }
}
