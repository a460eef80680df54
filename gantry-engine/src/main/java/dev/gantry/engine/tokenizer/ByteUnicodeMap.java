package dev.gantry.engine.tokenizer;

/**
 * GPT-2's reversible map between bytes and printable code points (openai/gpt-2 encoder.py
 * {@code bytes_to_unicode}): the printable Latin-1 bytes '!'..'~', '¡'..'¬', '®'..'ÿ' map to themselves, the
 * other 68 bytes to U+0100 onwards in byte order. Byte-level BPE vocabularies store their tokens in this
 * alphabet, e.g. a space is "Ġ" (U+0120).
 */
final class ByteUnicodeMap {

    private final char[] byteToChar = new char[256];
    private final short[] charToByte = new short[0x200];

    ByteUnicodeMap() {
        java.util.Arrays.fill(charToByte, (short) -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = (char) (printable ? b : next++);
            byteToChar[b] = c;
            charToByte[c] = (short) b;
        }
    }

    char encode(byte b) {
        return byteToChar[b & 0xFF];
    }

    /** The byte that {@code cp} stands for, or -1 when {@code cp} is not in the map. */
    int decode(int cp) {
        return cp >= 0 && cp < charToByte.length ? charToByte[cp] : -1;
    }

    /** The UTF-8 bytes of {@code text}, each written as its stand-in character. */
    String encode(String text) {
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        char[] out = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            out[i] = byteToChar[utf8[i] & 0xFF];
        }
        return new String(out);
    }
}
