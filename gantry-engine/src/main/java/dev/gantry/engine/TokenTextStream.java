package dev.gantry.engine;

import dev.gantry.engine.tokenizer.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns generated tokens into text as they arrive. A token may end inside a UTF-8 character (byte-fallback
 * pieces, byte-level BPE), so bytes are held back until the character is complete; nothing is ever cut
 * mid-character, and {@link #flush()} renders whatever remains at the end.
 */
public final class TokenTextStream {

    private final Tokenizer tokenizer;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    public TokenTextStream(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** The text completed by {@code token}, possibly empty. */
    public String accept(int token) {
        pending.writeBytes(tokenizer.tokenBytes(token));
        byte[] bytes = pending.toByteArray();
        int complete = completePrefix(bytes);
        if (complete == 0) {
            return "";
        }
        pending.reset();
        pending.write(bytes, complete, bytes.length - complete);
        return new String(bytes, 0, complete, StandardCharsets.UTF_8);
    }

    /** Whatever is held back, with invalid bytes as U+FFFD. */
    public String flush() {
        String rest = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        return rest;
    }

    /** Length of the longest prefix that does not end inside a multi-byte sequence. */
    static int completePrefix(byte[] b) {
        int n = b.length;
        for (int i = 1; i <= Math.min(4, n); i++) {
            int c = b[n - i] & 0xFF;
            if ((c & 0xC0) != 0x80) {
                int need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
                return need > i ? n - i : n;
            }
        }
        return n;
    }
}
