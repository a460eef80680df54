package dev.gantry.engine.tokenizer;

/**
 * llama.cpp's per-token attribute bits ({@code llama_token_attr} in llama.h). GGUF stores only a token type;
 * llama.cpp derives attributes from it and then adjusts some by token text and model name, which is why
 * Gantry keeps attributes next to the types.
 */
final class TokenAttributes {

    static final int UNDEFINED = 0;
    static final int UNKNOWN = 1;
    static final int UNUSED = 1 << 1;
    static final int NORMAL = 1 << 2;
    static final int CONTROL = 1 << 3;
    static final int USER_DEFINED = 1 << 4;
    static final int BYTE = 1 << 5;
    static final int LSTRIP = 1 << 7;
    static final int RSTRIP = 1 << 8;

    private TokenAttributes() {
    }

    /** The attribute a GGUF {@code tokenizer.ggml.token_type} value starts with. */
    static int ofType(int type) {
        return switch (type) {
            case Tokenizer.TYPE_NORMAL -> NORMAL;
            case Tokenizer.TYPE_UNKNOWN -> UNKNOWN;
            case Tokenizer.TYPE_CONTROL -> CONTROL;
            case Tokenizer.TYPE_USER_DEFINED -> USER_DEFINED;
            case Tokenizer.TYPE_UNUSED -> UNUSED;
            case Tokenizer.TYPE_BYTE -> BYTE;
            default -> UNDEFINED;
        };
    }
}
