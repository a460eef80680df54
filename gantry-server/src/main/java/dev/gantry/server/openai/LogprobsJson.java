package dev.gantry.server.openai;

import dev.gantry.engine.sampling.TokenChoice;
import dev.gantry.engine.sampling.TokenLogprob;
import dev.gantry.engine.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's two shapes of {@code logprobs}, built from the engine's per-token choices: the legacy completions
 * object (parallel {@code tokens}, {@code token_logprobs}, {@code top_logprobs}, {@code text_offset} arrays) and the
 * chat object ({@code content}: one entry per token with its UTF-8 {@code bytes} and its alternatives).
 */
final class LogprobsJson {

    private final Tokenizer tokenizer;
    private final List<TokenChoice> choices = new ArrayList<>();

    LogprobsJson(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    void add(TokenChoice choice) {
        choices.add(choice);
    }

    boolean isEmpty() {
        return choices.isEmpty();
    }

    /** The completions shape of the tokens added so far, offsets counted from {@code textOffset}. */
    Map<String, Object> completions(int textOffset) {
        List<String> tokens = new ArrayList<>();
        List<Double> logprobs = new ArrayList<>();
        List<Map<String, Double>> top = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        int offset = textOffset;
        for (TokenChoice c : choices) {
            String text = text(c.token());
            tokens.add(text);
            logprobs.add(c.logprob());
            Map<String, Double> alternatives = new LinkedHashMap<>();
            for (TokenLogprob t : c.top()) {
                alternatives.putIfAbsent(text(t.token()), t.logprob());
            }
            top.add(alternatives);
            offsets.add(offset);
            offset += text.length();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tokens", tokens);
        out.put("token_logprobs", logprobs);
        out.put("top_logprobs", top);
        out.put("text_offset", offsets);
        return out;
    }

    /** The chat shape of the tokens added so far. */
    Map<String, Object> chat() {
        List<Map<String, Object>> content = new ArrayList<>();
        for (TokenChoice c : choices) {
            Map<String, Object> entry = entry(c.token(), c.logprob());
            List<Map<String, Object>> top = new ArrayList<>();
            for (TokenLogprob t : c.top()) {
                top.add(entry(t.token(), t.logprob()));
            }
            entry.put("top_logprobs", top);
            content.add(entry);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("content", content);
        out.put("refusal", null);
        return out;
    }

    private Map<String, Object> entry(int token, double logprob) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("token", text(token));
        e.put("logprob", logprob);
        List<Integer> bytes = new ArrayList<>();
        for (byte b : tokenizer.tokenBytes(token)) {
            bytes.add(b & 0xFF);
        }
        e.put("bytes", bytes);
        return e;
    }

    /** A token's text; a piece of a multi-byte character shows as U+FFFD, its exact bytes are in {@code bytes}. */
    private String text(int token) {
        return new String(tokenizer.tokenBytes(token), StandardCharsets.UTF_8);
    }
}
