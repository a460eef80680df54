package dev.gantry.knowledge.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain text, UTF-8 (a byte-order mark is dropped; bytes that are not UTF-8 are read as Windows-1252, the usual
 * other encoding of a stray text file). The extracted text is the decoded file itself, so chunk offsets are offsets
 * into the file's characters; blocks are paragraphs separated by blank lines.
 */
public final class PlainTextReader implements DocumentReader {
    /** A NUL in the first bytes means a binary file with a text name; reading it would index garbage. */
    private static final int BINARY_PROBE_BYTES = 8192;

    @Override
    public ExtractedText read(byte[] content, String name) throws DocumentRejectedException {
        for (int i = 0; i < Math.min(content.length, BINARY_PROBE_BYTES); i++) {
            if (content[i] == 0) {
                throw new DocumentRejectedException(DocumentRejectedException.Problem.UNREADABLE,
                        "'" + name + "' is binary, not text (NUL byte at offset " + i + ")");
            }
        }
        String text = decode(content);
        return DocumentReader.requireText(new ExtractedText(text, paragraphs(text), null, 0), name, "");
    }

    /** Paragraph spans: maximal runs of text without a blank line, trimmed of surrounding whitespace. */
    static List<TextBlock> paragraphs(String text) {
        List<TextBlock> blocks = new ArrayList<>();
        int start = -1;
        int lastNonSpace = -1;
        int newlines = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                newlines++;
            } else if (!Character.isWhitespace(c)) {
                if (start >= 0 && newlines >= 2) {
                    blocks.add(new TextBlock(start, lastNonSpace + 1, BlockKind.PARAGRAPH, List.of(), 0));
                    start = -1;
                }
                if (start < 0) {
                    start = i;
                }
                lastNonSpace = i;
                newlines = 0;
            }
        }
        if (start >= 0) {
            blocks.add(new TextBlock(start, lastNonSpace + 1, BlockKind.PARAGRAPH, List.of(), 0));
        }
        return blocks;
    }

    static String decode(byte[] content) {
        int offset = content.length >= 3 && (content[0] & 0xff) == 0xef && (content[1] & 0xff) == 0xbb
                && (content[2] & 0xff) == 0xbf ? 3 : 0;
        ByteBuffer bytes = ByteBuffer.wrap(content, offset, content.length - offset);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            return new String(content, offset, content.length - offset, Charset.forName("windows-1252"));
        }
    }
}
