package dev.gantry.knowledge.ingest;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Structure-aware chunking. Blocks are cut into sentences (and over-long sentences into word windows), then packed
 * greedily into chunks of at most {@link ChunkingPolicy#targetTokens()} tokens, with three rules about where a
 * chunk may end:
 * <ol>
 *   <li>a heading always starts a new chunk (headings that follow each other stay together with the content
 *       under them), so a chunk never mixes two sections;</li>
 *   <li>a paragraph that does not fit in what is left of a chunk already half full starts the next chunk, so
 *       paragraphs are split only when they are bigger than a chunk;</li>
 *   <li>otherwise the chunk is full when the next sentence does not fit.</li>
 * </ol>
 * A chunk that follows another in the same section starts with the previous chunk's trailing sentences, up to
 * {@link ChunkingPolicy#overlapTokens()} tokens. Each chunk is one contiguous span of the extracted text.
 */
public final class Chunker {
    private final TokenCounter counter;
    private final ChunkingPolicy policy;

    public Chunker(TokenCounter counter, ChunkingPolicy policy) {
        this.counter = counter;
        this.policy = policy;
    }

    /** One unit of packing: a sentence or a word window of one block. */
    private record Piece(int start, int end, int tokens, int block, boolean firstInBlock) {
    }

    public List<Chunk> chunk(ExtractedText document) {
        List<Piece> pieces = new ArrayList<>();
        int[] blockTokens = new int[document.blocks().size()];
        for (int b = 0; b < document.blocks().size(); b++) {
            int before = pieces.size();
            splitBlock(document.text(), document.blocks().get(b), b, pieces);
            for (int i = before; i < pieces.size(); i++) {
                blockTokens[b] += pieces.get(i).tokens();
            }
        }
        return pack(document, pieces, blockTokens);
    }

    private List<Chunk> pack(ExtractedText document, List<Piece> pieces, int[] blockTokens) {
        List<Chunk> chunks = new ArrayList<>();
        List<Piece> current = new ArrayList<>();
        int currentTokens = 0;
        int target = policy.targetTokens();
        for (Piece piece : pieces) {
            if (!current.isEmpty()) {
                boolean heading = isHeading(document, piece) && piece.firstInBlock();
                boolean sectionBreak = heading && !allHeadings(document, current);
                boolean full = currentTokens + piece.tokens() > target;
                boolean paragraphBreak = piece.firstInBlock() && currentTokens + blockTokens[piece.block()] > target
                        && currentTokens >= target / 2;
                if (sectionBreak || full || paragraphBreak) {
                    chunks.add(toChunk(document, chunks.size(), current, currentTokens));
                    current = sectionBreak ? new ArrayList<>() : overlap(current, piece);
                    currentTokens = current.stream().mapToInt(Piece::tokens).sum();
                }
            }
            current.add(piece);
            currentTokens += piece.tokens();
        }
        if (!current.isEmpty()) {
            chunks.add(toChunk(document, chunks.size(), current, currentTokens));
        }
        return chunks;
    }

    /** Trailing pieces of the previous chunk, at most the overlap budget and leaving room for {@code next}. */
    private List<Piece> overlap(List<Piece> previous, Piece next) {
        int budget = Math.min(policy.overlapTokens(), policy.targetTokens() - next.tokens());
        List<Piece> tail = new ArrayList<>();
        int tokens = 0;
        for (int i = previous.size() - 1; i >= 1; i--) {
            Piece p = previous.get(i);
            if (tokens + p.tokens() > budget) {
                break;
            }
            tail.addFirst(p);
            tokens += p.tokens();
        }
        return tail;
    }

    private static boolean isHeading(ExtractedText document, Piece piece) {
        return document.blocks().get(piece.block()).kind() == BlockKind.HEADING;
    }

    private static boolean allHeadings(ExtractedText document, List<Piece> pieces) {
        return pieces.stream().allMatch(p -> isHeading(document, p));
    }

    private static Chunk toChunk(ExtractedText document, int index, List<Piece> pieces, int tokens) {
        int start = pieces.getFirst().start();
        int end = pieces.getLast().end();
        TextBlock first = document.blocks().get(pieces.getFirst().block());
        TextBlock last = document.blocks().get(pieces.getLast().block());
        return new Chunk(index, start, end, document.text().substring(start, end), last.headingPath(),
                first.page(), last.page(), tokens);
    }

    private void splitBlock(String text, TextBlock block, int blockIndex, List<Piece> out) {
        int before = out.size();
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(text.substring(block.start(), block.end()));
        int from = sentences.first();
        for (int to = sentences.next(); to != BreakIterator.DONE; from = to, to = sentences.next()) {
            addSpan(text, block.start() + from, block.start() + to, blockIndex, out, before);
        }
    }

    /** Adds a sentence span (trimmed); a sentence over the target is cut into word windows. */
    private void addSpan(String text, int start, int end, int block, List<Piece> out, int blockFirst) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return;
        }
        int tokens = counter.count(text.substring(start, end));
        if (tokens <= policy.targetTokens()) {
            out.add(new Piece(start, end, tokens, block, out.size() == blockFirst));
            return;
        }
        splitWords(text, start, end, block, out, blockFirst);
    }

    private void splitWords(String text, int start, int end, int block, List<Piece> out, int blockFirst) {
        int windowStart = -1;
        int windowEnd = -1;
        int windowTokens = 0;
        int i = start;
        while (i < end) {
            while (i < end && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int wordStart = i;
            while (i < end && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (wordStart == i) {
                break;
            }
            int wordTokens = counter.count(text.substring(wordStart, i));
            if (windowStart >= 0 && windowTokens + wordTokens > policy.targetTokens()) {
                out.add(new Piece(windowStart, windowEnd, windowTokens, block, out.size() == blockFirst));
                windowStart = -1;
                windowTokens = 0;
            }
            if (wordTokens > policy.targetTokens()) {
                splitCharacters(text, wordStart, i, block, out, blockFirst);
                continue;
            }
            if (windowStart < 0) {
                windowStart = wordStart;
            }
            windowEnd = i;
            windowTokens += wordTokens;
        }
        if (windowStart >= 0) {
            out.add(new Piece(windowStart, windowEnd, windowTokens, block, out.size() == blockFirst));
        }
    }

    /** Last resort for one huge "word" (base64, a URL list without spaces): windows of characters that fit. */
    private void splitCharacters(String text, int start, int end, int block, List<Piece> out, int blockFirst) {
        int pos = start;
        while (pos < end) {
            int length = Math.min(end - pos, policy.targetTokens());
            int tokens = counter.count(text.substring(pos, pos + length));
            while (tokens > policy.targetTokens() && length > 1) {
                length = Math.max(1, length / 2);
                tokens = counter.count(text.substring(pos, pos + length));
            }
            out.add(new Piece(pos, pos + length, tokens, block, out.size() == blockFirst));
            pos += length;
        }
    }
}
