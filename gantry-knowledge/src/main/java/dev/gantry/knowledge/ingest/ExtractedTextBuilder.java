package dev.gantry.knowledge.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Appends blocks to an extracted text while tracking the heading path and each block's offsets, so every reader
 * builds offsets the same way. Blocks are separated by a blank line; whitespace runs inside a block collapse to
 * one space (except in code blocks, which keep their lines).
 */
public final class ExtractedTextBuilder {
    private final StringBuilder text = new StringBuilder();
    private final List<TextBlock> blocks = new ArrayList<>();
    private final List<String> headings = new ArrayList<>();
    private final List<Integer> headingLevels = new ArrayList<>();
    private String title;
    private int pages;

    /** Adds a heading of the given level (1 = top); deeper headings nest under it, equal or shallower ones replace. */
    public ExtractedTextBuilder heading(int level, String raw) {
        String heading = collapse(raw);
        if (heading.isEmpty()) {
            return this;
        }
        while (!headingLevels.isEmpty() && headingLevels.getLast() >= level) {
            headingLevels.removeLast();
            headings.removeLast();
        }
        headings.add(heading);
        headingLevels.add(level);
        if (title == null && level == 1) {
            title = heading;
        }
        append(heading, BlockKind.HEADING, 0);
        return this;
    }

    public ExtractedTextBuilder block(BlockKind kind, String raw) {
        return block(kind, raw, 0);
    }

    /** Adds a non-heading block on {@code page} (0 = unpaged); a blank block is dropped. */
    public ExtractedTextBuilder block(BlockKind kind, String raw, int page) {
        if (kind == BlockKind.HEADING) {
            throw new IllegalArgumentException("use heading(level, text) for headings");
        }
        String content = kind == BlockKind.CODE ? raw.strip() : collapse(raw);
        if (!content.isEmpty()) {
            append(content, kind, page);
        }
        return this;
    }

    public ExtractedTextBuilder title(String value) {
        if (value != null && !value.isBlank()) {
            title = collapse(value);
        }
        return this;
    }

    public ExtractedTextBuilder pages(int count) {
        pages = count;
        return this;
    }

    public ExtractedText build() {
        return new ExtractedText(text.toString(), blocks, title, pages);
    }

    private void append(String content, BlockKind kind, int page) {
        if (!text.isEmpty()) {
            text.append("\n\n");
        }
        int start = text.length();
        text.append(content);
        blocks.add(new TextBlock(start, text.length(), kind, headings, page));
    }

    static String collapse(String raw) {
        return raw.replaceAll("[\\s\\u00a0]+", " ").strip();
    }
}
