package dev.gantry.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * WordPiece ({@code tokenizer.ggml.model = bert}), as llama.cpp's llm_tokenizer_wpm does it. The GGUF
 * converter stores word-initial pieces with a "▁" prefix and continuation pieces bare (instead of BERT's
 * "##" on continuations), so each word is matched as "▁" + word, greedily longest-first from the left. A word
 * with any unmatched position becomes the unknown token ([UNK]) as a whole.
 *
 * <p>Words come from BERT's basic normalization as llama.cpp implements it: optionally NFD-and-keep-first
 * (strip accents) and lower-case, split on whitespace, drop NUL, U+FFFD and control/format characters, and
 * make each punctuation character, ASCII symbol and CJK ideograph a word of its own.
 */
final class WordPiece extends AbstractTokenizer {

    WordPiece(Vocabulary vocabulary) {
        super(vocabulary);
        if (vocabulary.special().unk() < 0) {
            throw new TokenizerException("a WordPiece vocabulary needs tokenizer.ggml.unknown_token_id");
        }
    }

    @Override
    void encode(String text, List<SpecialTokenSplitter.Fragment> fragments, boolean addSpecial, IdList out) {
        Vocabulary.Options options = vocabulary.options();
        if (addSpecial && options.addBos()) {
            out.add(vocabulary.special().bos());
        }
        for (SpecialTokenSplitter.Fragment fragment : fragments) {
            switch (fragment) {
                case SpecialTokenSplitter.Token(int id) -> out.add(id);
                case SpecialTokenSplitter.Text(int start, int end) -> {
                    for (String word : words(text.substring(start, end))) {
                        tokenizeWord(word, out);
                    }
                }
            }
        }
        if (addSpecial && options.addSep()) {
            out.add(vocabulary.special().sep());
        }
    }

    private void tokenizeWord(String word, IdList out) {
        String marked = "\u2581" + word;
        int n = marked.length();
        int before = out.size();
        for (int i = 0; i < n; ) {
            int match = -1;
            for (int j = Math.min(n, i + vocabulary.maxTokenLength()); j > i; j--) {
                int id = vocabulary.id(marked.substring(i, j));
                if (id >= 0) {
                    out.add(id);
                    match = j;
                    break;
                }
            }
            if (match < 0) {
                out.truncate(before);
                break;
            }
            i = match;
        }
        if (out.size() == before) {
            out.add(vocabulary.special().unk());
        }
    }

    private List<String> words(String text) {
        Vocabulary.Options options = vocabulary.options();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int cp : CodepointFlags.codepoints(text)) {
            if (options.stripAccents()) {
                cp = CodepointFlags.nfdFirst(cp);
            }
            int flags = CodepointFlags.of(cp);
            if (CodepointFlags.isWhitespaceFlag(flags)) {
                flush(word, words);
                continue;
            }
            if (cp == 0 || cp == 0xFFFD || (flags & CodepointFlags.CONTROL) != 0) {
                continue;
            }
            if (options.stripAccents() && (flags & CodepointFlags.MARK) != 0) {
                continue;
            }
            int c = options.lowercase() ? CodepointFlags.toLower(cp) : cp;
            if ((flags & CodepointFlags.PUNCTUATION) != 0 || (cp < 0x7F && (flags & CodepointFlags.SYMBOL) != 0)
                    || isChineseCharacter(cp)) {
                flush(word, words);
                words.add(Character.toString(c));
            } else {
                word.appendCodePoint(c);
            }
        }
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (!word.isEmpty()) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    /** BERT's CJK ranges, including the Hugging Face value 0x2B920 that llama.cpp copies. */
    private static boolean isChineseCharacter(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
