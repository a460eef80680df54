package dev.gantry.engine.tokenizer;

/**
 * Hugging Face's {@code clean_up_tokenization_spaces} as llama.cpp's detokenize does it, on UTF-8 bytes (it
 * only looks at ASCII, so multi-byte characters pass through): (1) drop a space before '?', '!', '.', ',';
 * (2) " ' " becomes "'"; (3) drop a space before the contractions 's, 'm, 're, 've (not 't, 'd, 'll).
 * Each pass keeps the first byte and reads the previous pass's output.
 */
final class SpaceCleanup {

    private SpaceCleanup() {
    }

    static byte[] apply(byte[] text) {
        return contractions(apostrophes(punctuation(text)));
    }

    private static byte[] punctuation(byte[] in) {
        Output out = new Output(in.length);
        for (int i = 0; i < in.length; i++) {
            byte x = in[i];
            if (i > 0 && in[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) {
                out.drop();
            }
            out.write(x);
        }
        return out.bytes();
    }

    private static byte[] apostrophes(byte[] in) {
        Output out = new Output(in.length);
        boolean previousConsumed = false; // the byte before was a space swallowed by " ' "
        for (int i = 0; i < in.length; i++) {
            byte x = in[i];
            boolean previousSpace = i > 0 && in[i - 1] == ' ' && !previousConsumed;
            previousConsumed = false;
            if (i > 0 && x == '\'' && i + 1 < in.length && previousSpace && in[i + 1] == ' ') {
                out.drop();
                out.write(x);
                i++; // the space after the apostrophe goes too
                previousConsumed = true;
                continue;
            }
            out.write(x);
        }
        return out.bytes();
    }

    private static byte[] contractions(byte[] in) {
        Output out = new Output(in.length);
        for (int i = 0; i < in.length; i++) {
            byte x = in[i];
            if (i > 0 && in[i - 1] == ' ' && x == '\'' && i + 1 < in.length) {
                byte x1 = in[i + 1];
                if (x1 == 's' || x1 == 'm') {
                    out.drop();
                } else if (x1 != 't' && x1 != 'd' && i + 2 < in.length) {
                    byte x2 = in[i + 2];
                    if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e')) {
                        out.drop();
                    }
                }
            }
            out.write(x);
        }
        return out.bytes();
    }

    /** A byte buffer that can take back its last byte (always the space just before the current byte). */
    private static final class Output {
        private final byte[] buf;
        private int size;

        Output(int capacity) {
            buf = new byte[capacity];
        }

        void write(byte b) {
            buf[size++] = b;
        }

        void drop() {
            size--;
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(buf, size);
        }
    }
}
