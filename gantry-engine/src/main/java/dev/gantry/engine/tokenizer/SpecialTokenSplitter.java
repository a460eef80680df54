package dev.gantry.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts special tokens out of text before tokenization (llama.cpp's {@code tokenizer_st_partition}). Special
 * tokens are tried longest first; each one splits every remaining text fragment at all its occurrences, left
 * to right. Without {@code parseSpecial} only user-defined tokens are matched (as Hugging Face does for added
 * tokens); control and unknown tokens stay text. A token with the lstrip/rstrip attribute swallows the ASCII
 * whitespace before/after it.
 */
final class SpecialTokenSplitter {

    /** A piece of the input: a token already decided, or text [start, end) still to tokenize. */
    sealed interface Fragment permits Token, Text {
    }

    record Token(int id) implements Fragment {
    }

    record Text(int start, int end) implements Fragment {
    }

    private final Vocabulary vocabulary;

    SpecialTokenSplitter(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    List<Fragment> split(String text, boolean parseSpecial) {
        List<Fragment> fragments = new ArrayList<>();
        if (!text.isEmpty()) {
            fragments.add(new Text(0, text.length()));
        }
        for (int id : vocabulary.specialTokens()) {
            if (!parseSpecial && vocabulary.has(id, TokenAttributes.CONTROL | TokenAttributes.UNKNOWN)) {
                continue;
            }
            fragments = splitAt(text, fragments, id);
        }
        return fragments;
    }

    private List<Fragment> splitAt(String text, List<Fragment> fragments, int id) {
        String special = vocabulary.tokens()[id];
        boolean lstrip = vocabulary.has(id, TokenAttributes.LSTRIP);
        boolean rstrip = vocabulary.has(id, TokenAttributes.RSTRIP);
        List<Fragment> out = new ArrayList<>(fragments.size() + 2);
        for (Fragment fragment : fragments) {
            if (!(fragment instanceof Text(int start, int end))) {
                out.add(fragment);
                continue;
            }
            int pos = start;
            while (true) {
                int match = text.indexOf(special, pos);
                if (match < 0 || match + special.length() > end) {
                    if (pos < end) {
                        out.add(new Text(pos, end));
                    }
                    break;
                }
                int leftEnd = match;
                if (lstrip) {
                    while (leftEnd > pos && isSpace(text.charAt(leftEnd - 1))) {
                        leftEnd--;
                    }
                }
                if (leftEnd > pos) {
                    out.add(new Text(pos, leftEnd));
                }
                out.add(new Token(id));
                pos = match + special.length();
                if (rstrip) {
                    while (pos < end && isSpace(text.charAt(pos))) {
                        pos++;
                    }
                }
            }
        }
        return out;
    }

    /** C's isspace in the "C" locale, which llama.cpp uses for lstrip/rstrip. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
