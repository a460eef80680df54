package dev.gantry.engine.tokenizer;

/** A vocabulary that cannot be turned into a tokenizer: unknown model or pre-tokenizer, missing or bad metadata. */
public final class TokenizerException extends RuntimeException {

    public TokenizerException(String message) {
        super(message);
    }
}
