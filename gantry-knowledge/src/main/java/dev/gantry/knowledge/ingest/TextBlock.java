package dev.gantry.knowledge.ingest;

import java.util.List;

/**
 * One structural unit of an {@link ExtractedText}: {@code text.substring(start, end)} is its content.
 *
 * @param headingPath the headings in force here, outermost first; for a heading block it ends with the heading
 *                    itself
 * @param page        1-based page the block is on, or 0 when the format has no pages
 */
public record TextBlock(int start, int end, BlockKind kind, List<String> headingPath, int page) {
    public TextBlock {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("block span must be non-empty, got [" + start + ", " + end + ")");
        }
        if (page < 0) {
            throw new IllegalArgumentException("page must be >= 0, got " + page);
        }
        headingPath = List.copyOf(headingPath);
    }
}
