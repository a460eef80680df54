package dev.gantry.engine.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * The bytes each token stands for in decoded text (llama.cpp's {@code token_to_piece} with special = true,
 * which it caches per token): control, unknown and user-defined tokens give their text; normal tokens give
 * their text with U+2581 turned back into spaces (SentencePiece, WordPiece, SPM-style BPE) or decoded from
 * GPT-2's byte alphabet (byte-level BPE); byte tokens "&lt;0xAB&gt;" give that byte; unused and undefined tokens
 * give nothing.
 */
final class TokenPieces {

    private static final byte[] NONE = new byte[0];

    private final byte[][] pieces;

    TokenPieces(Vocabulary vocabulary) {
        ByteUnicodeMap bytes = new ByteUnicodeMap();
        pieces = new byte[vocabulary.size()][];
        for (int id = 0; id < pieces.length; id++) {
            pieces[id] = render(vocabulary, id, bytes);
        }
    }

    /** The bytes of {@code id}; never modify the returned array. */
    byte[] bytes(int id) {
        return pieces[id];
    }

    private static byte[] render(Vocabulary v, int id, ByteUnicodeMap bytes) {
        String text = v.tokens()[id];
        if (v.has(id, TokenAttributes.CONTROL | TokenAttributes.UNKNOWN | TokenAttributes.USER_DEFINED)) {
            return utf8(text);
        }
        if (v.has(id, TokenAttributes.NORMAL)) {
            if (v.kind() != Vocabulary.Kind.BPE || v.options().escapeWhitespaces()) {
                return utf8(text.replace('\u2581', ' '));
            }
            return byteDecode(text, bytes);
        }
        if (v.has(id, TokenAttributes.BYTE) && v.kind() != Vocabulary.Kind.WPM) {
            int b = byteValue(text);
            return b >= 0 ? new byte[] {(byte) b} : NONE;
        }
        return NONE;
    }

    /** The byte a "&lt;0xAB&gt;" token stands for, or -1 for any other text. */
    static int byteValue(String text) {
        if (text.length() != 6 || !text.startsWith("<0x") || text.charAt(5) != '>') {
            return -1;
        }
        int hi = Character.digit(text.charAt(3), 16);
        int lo = Character.digit(text.charAt(4), 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** llama.cpp's llama_decode_text, including its marker for characters outside GPT-2's alphabet. */
    private static byte[] byteDecode(String text, ByteUnicodeMap bytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length());
        text.codePoints().forEach(cp -> {
            int b = bytes.decode(cp);
            if (b >= 0) {
                out.write(b);
            } else {
                StringBuilder marker = new StringBuilder("[UNK_BYTE_0x");
                for (byte u : utf8(Character.toString(cp))) {
                    marker.append(String.format("%02x", u & 0xFF));
                }
                out.writeBytes(utf8(marker.append(text).append(']').toString()));
            }
        });
        return out.toByteArray();
    }
}
