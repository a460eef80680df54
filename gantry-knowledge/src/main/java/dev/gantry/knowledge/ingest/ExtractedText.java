package dev.gantry.knowledge.ingest;

import java.util.List;

/**
 * A document's text as a reader extracted it, with its blocks in order. Chunk and citation offsets are character
 * offsets into {@link #text()}, so a user can check a citation against it.
 *
 * @param title a title found in the document (HTML {@code <title>}, first Markdown H1, PDF info), or null
 * @param pages number of pages (PDF), or 0 when the format has none
 */
public record ExtractedText(String text, List<TextBlock> blocks, String title, int pages) {
    public ExtractedText {
        blocks = List.copyOf(blocks);
        int previousEnd = 0;
        for (TextBlock block : blocks) {
            if (block.start() < previousEnd || block.end() > text.length()) {
                throw new IllegalArgumentException("blocks must be ordered, disjoint and inside the text; bad block "
                        + block + " for text of length " + text.length());
            }
            previousEnd = block.end();
        }
    }

    /** True when no block holds anything but whitespace. */
    public boolean isBlank() {
        return blocks.stream().allMatch(b -> text.substring(b.start(), b.end()).isBlank());
    }
}
