package dev.gantry.engine.tokenizer;

import dev.gantry.engine.gguf.GgufMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a {@link Vocabulary} from {@code tokenizer.ggml.*} metadata, following llama.cpp's
 * {@code llama_vocab::impl::load}: per-model flag defaults, the pre-tokenizer's flags, special ids, and the
 * text-based fix-ups llama.cpp applies (end-of-turn tokens it recognises by text become control tokens and
 * end generation; Phi-3's special tokens strip the whitespace after them; ...).
 *
 * <p>One deliberate difference: llama.cpp falls back to hard-coded ids (LLaMA's BOS 1 / EOS 2 / UNK 0, BERT's
 * 101/102/100, GPT-2's 11) when a key is missing; Gantry reads ids only from metadata (BERT's BOS also from
 * {@code tokenizer.ggml.cls_token_id}). An add flag that is on by default turns off when its id is missing; one
 * that the file sets explicitly without the id is an error, as in llama.cpp.
 */
final class VocabularyReader {

    private static final String P = "tokenizer.ggml.";

    /** Texts llama.cpp takes for the end-of-turn token when tokenizer.ggml.eot_token_id is absent. */
    private static final List<String> EOT_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>");
    private static final List<String> EOM_TEXTS = List.of("<|eom_id|>");
    private static final List<String> FIM_PRE_TEXTS = List.of("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>",
            "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>", "<|prefix|>");
    private static final List<String> FIM_SUF_TEXTS = List.of("<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>",
            "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>", "<|suffix|>");
    private static final List<String> FIM_MID_TEXTS = List.of("<|fim_middle|>", "<fim-middle>", "<fim_middle>",
            "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>", "<|middle|>");
    private static final List<String> FIM_PAD_TEXTS = List.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]");
    private static final List<String> FIM_REP_TEXTS = List.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>");
    private static final List<String> FIM_SEP_TEXTS = List.of("<|file_sep|>");
    /** Texts that end generation in llama.cpp, whatever the metadata says. */
    private static final Set<String> EOG_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>",
            "<|flush|>", "<|calls|>", "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]",
            "[EOS]", "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
            "<｜end▁of▁sentence｜>", "[e~[");
    /** gpt-oss: llama.cpp always renders these (user-defined). */
    private static final Set<String> ALWAYS_RENDERED = Set.of("<|channel|>", "<|message|>", "<|start|>", "<|constrain|>");

    private VocabularyReader() {
    }

    static Vocabulary read(GgufMetadata m) {
        String model = m.optionalString(P + "model")
                .orElseThrow(() -> new TokenizerException("missing metadata key 'tokenizer.ggml.model'"));
        String preName = m.optionalString(P + "pre").orElse("");
        Vocabulary.Kind kind = switch (model) {
            case "llama" -> Vocabulary.Kind.SPM;
            case "bert" -> Vocabulary.Kind.WPM;
            case "gpt2" -> Vocabulary.Kind.BPE;
            case "gemma4" -> {
                preName = "gemma4";
                yield Vocabulary.Kind.BPE;
            }
            case "t5", "rwkv", "plamo2", "hybriddna", "whitespace", "no_vocab", "none" -> throw new TokenizerException(
                    "tokenizer model '" + model + "' (tokenizer.ggml.model) is not supported; supported: llama, gpt2, bert, gemma4");
            default -> throw new TokenizerException(
                    "unknown tokenizer model '" + model + "' (tokenizer.ggml.model); supported: llama, gpt2, bert, gemma4");
        };

        PreTokenizerType.Choice pre = kind == Vocabulary.Kind.BPE ? PreTokenizerType.resolve(preName) : null;
        Map<String, Integer> merges = kind == Vocabulary.Kind.BPE ? readMerges(m, preName) : Map.of();

        String[] tokens = readTokens(m);
        int n = tokens.length;
        float[] scores = m.has(P + "scores") ? m.floats(P + "scores") : new float[n];
        int[] types = m.has(P + "token_type") ? m.ints(P + "token_type") : filled(n, Tokenizer.TYPE_NORMAL);
        requireLength("scores", scores.length, n);
        requireLength("token_type", types.length, n);
        scores = Arrays.copyOf(scores, n);
        types = Arrays.copyOf(types, n);

        Map<String, Integer> ids = new HashMap<>(n * 2);
        int maxLength = 0;
        for (int i = 0; i < n; i++) {
            Integer previous = ids.putIfAbsent(tokens[i], i);
            if (previous != null) {
                throw new TokenizerException("duplicate token in vocabulary: '" + tokens[i] + "' has ids " + previous + " and " + i);
            }
            maxLength = Math.max(maxLength, tokens[i].length());
        }
        int[] attributes = new int[n];
        for (int i = 0; i < n; i++) {
            attributes[i] = TokenAttributes.ofType(types[i]);
        }

        Ids special = readIds(m, n, kind);
        Vocabulary.Options options = readOptions(m, kind, pre, special);
        int[] eog = fixUpByText(tokens, ids, attributes, special);
        int[] specialTokens = specialTokens(tokens, attributes);
        fixUpByModelName(m, preName, ids, attributes, specialTokens);

        Vocabulary.SpecialIds specialIds = new Vocabulary.SpecialIds(special.bos, special.eos, special.eot, special.eom,
                special.unk, special.sep, special.pad, eog);
        return new Vocabulary(kind, pre, tokens, scores, types, attributes, Map.copyOf(ids), merges, specialTokens,
                maxLength, specialIds, options);
    }

    private static String[] readTokens(GgufMetadata m) {
        if (!m.has(P + "tokens")) {
            throw new TokenizerException("missing metadata key 'tokenizer.ggml.tokens'");
        }
        String[] tokens = m.strings(P + "tokens").clone();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].isEmpty()) {
                tokens[i] = "[EMPTY_" + i + "]"; // llama.cpp's name for an empty token
            }
        }
        return tokens;
    }

    private static Map<String, Integer> readMerges(GgufMetadata m, String preName) {
        if (!m.has(P + "merges")) {
            if (preName.equals("kimi-k2")) {
                return Map.of(); // Kimi-K2 ships no merges; llama.cpp accepts that
            }
            throw new TokenizerException("missing metadata key 'tokenizer.ggml.merges' for a BPE vocabulary");
        }
        String[] lines = m.strings(P + "merges");
        Map<String, Integer> ranks = new HashMap<>(lines.length * 2);
        for (int rank = 0; rank < lines.length; rank++) {
            // "left right", split at the first space after the first character (a token may start with a space)
            if (lines[rank].indexOf(' ', 1) > 0) {
                ranks.putIfAbsent(lines[rank], rank);
            }
        }
        return Map.copyOf(ranks);
    }

    private static void requireLength(String key, int length, int tokens) {
        if (length < tokens) {
            throw new TokenizerException("tokenizer.ggml." + key + " has " + length + " entries for " + tokens + " tokens");
        }
    }

    private static int[] filled(int n, int value) {
        int[] out = new int[n];
        Arrays.fill(out, value);
        return out;
    }

    /** Mutable holder while reading; becomes {@link Vocabulary.SpecialIds}. */
    private static final class Ids {
        int bos = -1, eos = -1, eot = -1, eom = -1, unk = -1, sep = -1, pad = -1;
        int fimPre = -1, fimSuf = -1, fimMid = -1, fimPad = -1, fimRep = -1, fimSep = -1;
    }

    private static Ids readIds(GgufMetadata m, int n, Vocabulary.Kind kind) {
        Ids ids = new Ids();
        ids.bos = id(m, "bos_token_id", n, kind == Vocabulary.Kind.WPM ? id(m, "cls_token_id", n, -1) : -1);
        ids.eos = id(m, "eos_token_id", n, -1);
        ids.eot = id(m, "eot_token_id", n, -1);
        ids.eom = id(m, "eom_token_id", n, -1);
        ids.unk = id(m, "unknown_token_id", n, -1);
        ids.sep = id(m, "seperator_token_id", n, -1); // sic: the GGUF key is spelled this way
        ids.pad = id(m, "padding_token_id", n, -1);
        ids.fimPre = id(m, "fim_pre_token_id", n, id(m, "prefix_token_id", n, -1));
        ids.fimSuf = id(m, "fim_suf_token_id", n, id(m, "suffix_token_id", n, -1));
        ids.fimMid = id(m, "fim_mid_token_id", n, id(m, "middle_token_id", n, -1));
        ids.fimPad = id(m, "fim_pad_token_id", n, -1);
        ids.fimRep = id(m, "fim_rep_token_id", n, -1);
        ids.fimSep = id(m, "fim_sep_token_id", n, -1);
        return ids;
    }

    /** A token id key; out-of-range values (converters write 0xFFFFFFFF for "none") are ignored, as in llama.cpp. */
    private static int id(GgufMetadata m, String key, int n, int fallback) {
        if (!m.has(P + key)) {
            return fallback;
        }
        long v = m.integer(P + key);
        return v >= 0 && v < n ? (int) v : fallback;
    }

    private static Vocabulary.Options readOptions(GgufMetadata m, Vocabulary.Kind kind, PreTokenizerType.Choice pre, Ids ids) {
        boolean addSpacePrefix = kind == Vocabulary.Kind.SPM;
        boolean cleanSpaces = kind != Vocabulary.Kind.SPM;
        boolean escapeWhitespaces = kind != Vocabulary.Kind.BPE;
        boolean ignoreMerges = false;
        boolean addBos = kind != Vocabulary.Kind.BPE;
        boolean addSep = kind == Vocabulary.Kind.WPM;
        if (pre != null) {
            cleanSpaces = pre.cleanSpaces();
            ignoreMerges = pre.ignoreMerges();
            addBos = pre.addBos();
            escapeWhitespaces = pre.escapeWhitespaces();
            addSep = pre.addSep();
        }
        addSpacePrefix = m.bool(P + "add_space_prefix", addSpacePrefix);
        addBos = addFlag(m, "add_bos_token", addBos, ids.bos, "bos_token_id");
        boolean addEos = addFlag(m, "add_eos_token", false, ids.eos, "eos_token_id");
        addSep = addFlag(m, "add_sep_token", addSep, ids.sep, "seperator_token_id");
        if (pre != null && pre.type() == PreTokenizerType.GEMMA4 && !addBos && ids.bos >= 0) {
            addBos = true; // llama.cpp overrides Gemma 4's flag (ggml-org/llama.cpp#21500)
        }
        boolean lowercase = m.bool(P + "normalizer.lowercase", true);
        boolean stripAccents = m.bool(P + "normalizer.strip_accents", lowercase);
        return new Vocabulary.Options(addBos, addEos, addSep, addSpacePrefix, cleanSpaces, escapeWhitespaces,
                ignoreMerges, lowercase, stripAccents);
    }

    private static boolean addFlag(GgufMetadata m, String key, boolean byDefault, int id, String idKey) {
        if (m.has(P + key)) {
            boolean value = m.bool(P + key, byDefault);
            if (value && id < 0) {
                throw new TokenizerException("tokenizer.ggml." + key + " is true, but tokenizer.ggml." + idKey + " is not set");
            }
            return value;
        }
        return byDefault && id >= 0;
    }

    /** llama.cpp's auto-detection by token text; returns the sorted end-of-generation ids. */
    private static int[] fixUpByText(String[] tokens, Map<String, Integer> ids, int[] attributes, Ids special) {
        special.eot = special.eot >= 0 ? special.eot : detect(EOT_TEXTS, tokens, attributes);
        special.eom = special.eom >= 0 ? special.eom : detect(EOM_TEXTS, tokens, attributes);
        special.fimPre = special.fimPre >= 0 ? special.fimPre : detect(FIM_PRE_TEXTS, tokens, attributes);
        special.fimSuf = special.fimSuf >= 0 ? special.fimSuf : detect(FIM_SUF_TEXTS, tokens, attributes);
        special.fimMid = special.fimMid >= 0 ? special.fimMid : detect(FIM_MID_TEXTS, tokens, attributes);
        special.fimPad = special.fimPad >= 0 ? special.fimPad : detect(FIM_PAD_TEXTS, tokens, attributes);
        special.fimRep = special.fimRep >= 0 ? special.fimRep : detect(FIM_REP_TEXTS, tokens, attributes);
        special.fimSep = special.fimSep >= 0 ? special.fimSep : detect(FIM_SEP_TEXTS, tokens, attributes);

        TreeSet<Integer> eog = new TreeSet<>();
        for (int id : new int[] {special.fimPad, special.fimRep, special.fimSep}) {
            if (id >= 0) {
                eog.add(id);
            }
        }
        for (int i = 0; i < tokens.length; i++) {
            if (EOG_TEXTS.contains(tokens[i])) {
                eog.add(i);
                attributes[i] |= TokenAttributes.CONTROL;
            }
            if (ALWAYS_RENDERED.contains(tokens[i])) {
                attributes[i] = TokenAttributes.USER_DEFINED;
            }
        }
        for (int id : new int[] {special.eos, special.eot, special.eom}) {
            if (id >= 0) {
                eog.add(id);
            }
        }
        // o200k_harmony and solar-open: "<|end|>" ends a message there, not the generation
        Integer end = ids.get("<|end|>");
        if (end != null && eog.contains(end)
                && ((containsText(eog, tokens, "<|return|>") && containsText(eog, tokens, "<|call|>", "<|calls|>"))
                || (containsText(eog, tokens, "<|call|>", "<|calls|>") && containsText(eog, tokens, "<|flush|>")))) {
            eog.remove(end);
            attributes[end] = TokenAttributes.USER_DEFINED;
        }
        // gemma4 and paddleocr: "</s>" is not an end of generation when "<|tool_response>" is
        Integer s = ids.get("</s>");
        if (s != null && eog.contains(s) && containsText(eog, tokens, "<|tool_response>")) {
            eog.remove(s);
            attributes[s] = TokenAttributes.NORMAL;
        }
        return eog.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean containsText(Set<Integer> ids, String[] tokens, String... texts) {
        for (int id : ids) {
            for (String text : texts) {
                if (tokens[id].equals(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The lowest id whose text is in {@code texts}, made a control token; -1 if none. */
    private static int detect(List<String> texts, String[] tokens, int[] attributes) {
        for (int i = 0; i < tokens.length; i++) {
            if (texts.contains(tokens[i])) {
                attributes[i] |= TokenAttributes.CONTROL;
                return i;
            }
        }
        return -1;
    }

    /** Control, user-defined and unknown tokens, longest UTF-8 text first (llama.cpp's cache_special_tokens). */
    private static int[] specialTokens(String[] tokens, int[] attributes) {
        List<Integer> special = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if ((attributes[i] & (TokenAttributes.CONTROL | TokenAttributes.USER_DEFINED | TokenAttributes.UNKNOWN)) != 0) {
                special.add(i);
            }
        }
        int[] bytes = new int[tokens.length];
        for (int id : special) {
            bytes[id] = tokens[id].getBytes(StandardCharsets.UTF_8).length;
        }
        special.sort(Comparator.<Integer>comparingInt(id -> -bytes[id]).thenComparingInt(id -> id));
        return special.stream().mapToInt(Integer::intValue).toArray();
    }

    /** llama.cpp's per-model attributes ("Handle per token attributes" in llama_vocab::impl::load). */
    private static void fixUpByModelName(GgufMetadata m, String preName, Map<String, Integer> ids, int[] attributes,
                                         int[] specialTokens) {
        String name = m.optionalString("general.name").orElse("").toLowerCase(Locale.ROOT);
        String arch = m.optionalString("general.architecture").orElse("");
        if (containsAny(preName, "jina-v2-de", "jina-v2-es", "jina-v2-code") || containsAny(arch, "nomic-bert-moe", "jina-bert-v3")) {
            set(ids, attributes, "<mask>", TokenAttributes.LSTRIP, true);
        } else if (containsAny(name, "phi-3", "phi3")) {
            for (int id : specialTokens) {
                attributes[id] |= TokenAttributes.RSTRIP;
            }
            set(ids, attributes, "</s>", TokenAttributes.RSTRIP, true);
            for (String text : List.of("<unk>", "<s>", "<|endoftext|>")) {
                set(ids, attributes, text, TokenAttributes.RSTRIP, false);
            }
        } else if (containsAny(name, "modern-bert")) {
            set(ids, attributes, "[MASK]", TokenAttributes.LSTRIP, true);
        }
    }

    private static boolean containsAny(String s, String... parts) {
        for (String part : parts) {
            if (s.contains(part)) {
                return true;
            }
        }
        return false;
    }

    private static void set(Map<String, Integer> ids, int[] attributes, String text, int attribute, boolean on) {
        Integer id = ids.get(text);
        if (id != null) {
            attributes[id] = on ? attributes[id] | attribute : attributes[id] & ~attribute;
        }
    }
}
