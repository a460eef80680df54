package dev.gantry.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into the words that byte-level BPE merges within (llama.cpp's {@code unicode_regex_split}):
 * the type's regexes refine the split one after another, and each word is then written in GPT-2's byte
 * alphabet when the type asks for it. Compiled once per tokenizer; safe to share between threads.
 */
final class PreTokenizer {

    /** One regex: either llama.cpp's hand-written splitter for it, or a compiled pattern. */
    private record Step(String regex, CategoryRegex pattern) {
    }

    private final PreTokenizerType type;
    private final List<Step> steps;
    private final ByteUnicodeMap bytes = new ByteUnicodeMap();

    PreTokenizer(PreTokenizerType type) {
        this.type = type;
        List<Step> compiled = new ArrayList<>();
        for (String regex : type.regexes()) {
            compiled.add(new Step(regex, CustomSplitters.handles(regex) ? null : new CategoryRegex(regex)));
        }
        this.steps = List.copyOf(compiled);
    }

    PreTokenizerType type() {
        return type;
    }

    /** The words of {@code text}, in order; their concatenation is {@code text} (byte-encoded if the type says so). */
    List<String> split(String text) {
        int[] cps = CodepointFlags.codepoints(text);
        IdList lengths = new IdList();
        if (cps.length > 0) {
            lengths.add(cps.length);
        }
        String collapsed = null;
        String plain = null;
        int[] identity = null;
        int[] plainCharIndex = null;
        int[] plainCpIndex = null;
        for (Step step : steps) {
            if (step.pattern() == null) {
                lengths = CustomSplitters.split(step.regex(), cps, lengths);
            } else if (step.pattern().collapsed()) {
                if (collapsed == null) {
                    collapsed = CategoryRegex.collapsedText(cps);
                    identity = identity(cps.length);
                }
                lengths = step.pattern().split(collapsed, identity, identity, lengths);
            } else {
                if (plain == null) {
                    plain = CategoryRegex.plainText(cps);
                    plainCharIndex = new int[cps.length + 1];
                    plainCpIndex = new int[plain.length() + 1];
                    for (int i = 0, c = 0; i <= cps.length; i++) {
                        plainCharIndex[i] = c;
                        plainCpIndex[c] = i;
                        if (i < cps.length) {
                            int width = Character.charCount(cps[i]);
                            if (width == 2) {
                                plainCpIndex[c + 1] = i; // never a match boundary: matches do not split pairs
                            }
                            c += width;
                        }
                    }
                }
                lengths = step.pattern().split(plain, plainCharIndex, plainCpIndex, lengths);
            }
        }
        List<String> words = new ArrayList<>(lengths.size());
        int start = 0;
        for (int i = 0; i < lengths.size(); i++) {
            String word = new String(cps, start, lengths.get(i));
            words.add(type.byteEncode() ? bytes.encode(word) : word);
            start += lengths.get(i);
        }
        return words;
    }

    private static int[] identity(int n) {
        int[] out = new int[n + 1];
        for (int i = 0; i <= n; i++) {
            out[i] = i;
        }
        return out;
    }
}
