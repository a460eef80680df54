package dev.gantry.engine.tokenizer;

import java.util.List;

/**
 * The pre-tokenizers llama.cpp knows ({@code llama_vocab_pre_type}), each with the regexes it splits text by
 * before byte-level BPE (llm_tokenizer_bpe in llama-vocab.cpp). The regexes are applied in order, each one
 * splitting the pieces the previous ones produced; they are written as llama.cpp has them (its ECMAScript
 * adaptations of the tokenizer.json regexes) and translated by {@link CategoryRegex}. {@link #resolve} maps
 * the {@code tokenizer.ggml.pre} names onto these types together with the per-name flags llama.cpp sets.
 */
enum PreTokenizerType {

    DEFAULT(true, "[\\p{P}\\$\\+<=>\\^~\\|]+", Regexes.GPT2, "\\p{N}+", "[0-9][0-9][0-9]"),
    LLAMA3(true, Regexes.LLAMA3),
    JAIS2(true, "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s{512}(?!\\S)|\\s{256}(?!\\S)|\\s{128}(?!\\S)|\\s{64}(?!\\S)|\\s{32}(?!\\S)|\\s{16}(?!\\S)|\\s{8}(?!\\S)|\\s{4}(?!\\S)|\\s{1,2}(?!\\S)|\\s{1}"),
    /** The letter class lists Unicode's cased letters; characters that NFC would rewrite are escaped. */
    DEEPSEEK_LLM(true,
            "[\r\n]",
            "\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-\\x{1F7D}ᾀ-ᾴᾶ-ᾼ\\x{1FBE}ῂ-ῄῆ-ῌῐ-\\x{1FD3}ῖ-\\x{1FDB}ῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤ\\x{2126}ℨ\\x{212A}-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+",
            "\\s?[!-/:-~！-／：-～‘-‟　-。]+",
            "\\s+$",
            "[一-龥ࠀ-一가-퟿]+",
            "\\p{N}+"),
    DEEPSEEK3_LLM(true,
            "\\p{N}{1,3}",
            "[一-龥぀-ゟ゠-ヿ]+",
            "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+"),
    SPARK2_5(true,
            "\\p{N}{1,3}",
            "[一-龥぀-ゟ゠-ヿ]+",
            "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+|[\r\n]|\\s+(?!\\S)|\\s+",
            "\\p{N}"),
    YOUTU(true,
            "[가-힣ㄱ-ㆎ]+|[！…“”‘’—：；，、-〿︰-﹏]+|[ㄅ-ㄯ]+|[一-龥぀-ゟ゠-ヿ]+",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    DEEPSEEK_CODER(true, "[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", "[一-龥ࠀ-一가-퟿]+", "\\p{N}"),
    FALCON(true, "[\\p{P}\\$\\+<=>\\^~\\|`]+", Regexes.GPT2, "[0-9][0-9][0-9]"),
    STARCODER(true, "\\p{N}", Regexes.GPT2),
    GPT2(true, Regexes.GPT2),
    QWEN2(true, "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    QWEN35(true, "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?[\\p{L}\\p{M}]+|\\p{N}| ?[^\\s\\p{L}\\p{M}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    PORO(true, " ?[^(\\s|.,!?…。，、।۔،)]+"),
    VIKING(true, " ?[^(\\s|.,!?…。，、।۔،)]+", "\\p{N}"),
    TEKKEN(true, "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+|[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    CHAMELEON(true,
            "<sentinel:[0-9]+>",
            "(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z",
            "([\\t\\n]|    |  )",
            "\\p{N}",
            "[\\p{P}!-/:-@\\[-`{-~]",
            Regexes.GPT2),
    GPT4O(true, "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    GRANITE_EMB_MULTI(true, "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}\\p{M}])([^a-z]))*((?=[\\p{L}\\p{M}])([^A-Z]))+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}\\p{M}])([^a-z]))+((?=[\\p{L}\\p{M}])([^A-Z]))*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    TINY_AYA(true,
            CustomSplitters.TINY_AYA_DIGITS,
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    KIMI_K2(true, CustomSplitters.KIMI_K2),
    SUPERBPE(true, "\\p{N}+", CustomSplitters.SUPERBPE_DIGITS),
    BAILINGMOE(true, "'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+"),
    SEED_CODER(true, "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1}| ?[^\\s\\p{L}\\p{N}\\r\\n]+|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    UFAKZEKA(true, "[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    GROK_2(true, "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    AFMOE(true,
            CustomSplitters.AFMOE_DIGITS,
            "[一-鿿㐀-䶿\\x{F900}-﫿぀-ゟ゠-ヿ･-ﾟ⼀-⿟เ-๿຀-໿ក-៿က-႟ꩠ-ꩿꧠ-꧿가-힯ᄀ-ᇿ]+",
            "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\\r\\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    LAGUNA(true, "[^\\n]+|[\\n]+", "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    /**
     * llama.cpp's {@code (?:\\p{L}\\p{M}*(?: \\p{L}\\p{M}*)*)+} (letters and marks, single spaces between letters)
     * written as the same language with one character per repetition, possessive because nothing after it could
     * make it give characters back; Java then matches it without recursing per character.
     */
    EXAONE_MOE(true, "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}(?:[\\p{L}\\p{M}]| (?=\\p{L}))*+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]?|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+"),
    /** SPM-style BPE (Gemma 4, Sarvam): spaces become U+2581 before BPE, which runs on raw UTF-8 per line. */
    GEMMA4(false, "[^\\n]+|[\\n]+"),
    MINICPM5(true, "\\p{N}{1,3}", "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}+| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    WHITESPACE(false, "\\S+");

    /** Regexes shared by several types; GPT-2's and Llama 3's are run by {@link CustomSplitters}. */
    private static final class Regexes {
        static final String GPT2 = CustomSplitters.GPT2;
        static final String LLAMA3 = CustomSplitters.LLAMA3;
    }

    private final boolean byteEncode;
    private final List<String> regexes;

    PreTokenizerType(boolean byteEncode, String... regexes) {
        this.byteEncode = byteEncode;
        this.regexes = List.of(regexes);
    }

    /** Whether the pieces are written in GPT-2's byte alphabet ({@link ByteUnicodeMap}) before BPE. */
    boolean byteEncode() {
        return byteEncode;
    }

    List<String> regexes() {
        return regexes;
    }

    /**
     * What a {@code tokenizer.ggml.pre} name selects: the type plus the vocabulary flags llama.cpp changes for
     * it (llama_vocab::impl::load). {@code cleanSpaces} is llama.cpp's clean_up_tokenization_spaces, true by
     * default for BPE; {@code addBos} forces BOS on.
     * (llama.cpp also clears ChatGLM's default BOS id; Gantry has no default ids, so that has no equivalent.)
     */
    record Choice(PreTokenizerType type, boolean cleanSpaces, boolean ignoreMerges, boolean addBos,
                  boolean escapeWhitespaces, boolean addSep) {

        private Choice(PreTokenizerType type) {
            this(type, true, false, false, false, false);
        }

        Choice keepSpaces() {
            return new Choice(type, false, ignoreMerges, addBos, escapeWhitespaces, addSep);
        }

        Choice ignoringMerges() {
            return new Choice(type, cleanSpaces, true, addBos, escapeWhitespaces, addSep);
        }

        Choice withBos() {
            return new Choice(type, cleanSpaces, ignoreMerges, true, escapeWhitespaces, addSep);
        }

        Choice escapingWhitespaces() {
            return new Choice(type, cleanSpaces, ignoreMerges, addBos, true, addSep);
        }

        Choice withSep() {
            return new Choice(type, cleanSpaces, ignoreMerges, addBos, escapeWhitespaces, true);
        }
    }

    /** The pre-tokenizer for a {@code tokenizer.ggml.pre} name; a missing name means llama.cpp's "default". */
    static Choice resolve(String name) {
        if (name == null || name.isEmpty()) {
            return new Choice(DEFAULT);
        }
        return switch (name) {
            case "default" -> new Choice(DEFAULT);
            case "minicpm5" -> new Choice(MINICPM5).ignoringMerges();
            case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano" ->
                    new Choice(LLAMA3).ignoringMerges().withBos();
            case "deepseek-llm" -> new Choice(DEEPSEEK_LLM).keepSpaces();
            case "deepseek-coder" -> new Choice(DEEPSEEK_CODER).keepSpaces();
            case "deepseek-v3" -> new Choice(DEEPSEEK3_LLM).keepSpaces();
            case "hunyuan-dense", "hy_v4", "joyai-llm" -> new Choice(DEEPSEEK3_LLM).keepSpaces();
            case "spark2_5" -> new Choice(SPARK2_5).keepSpaces();
            case "youtu" -> new Choice(YOUTU).keepSpaces().ignoringMerges();
            case "falcon" -> new Choice(FALCON);
            case "mpt", "olmo", "jais" -> new Choice(GPT2);
            case "trillion", "granite-docling" -> new Choice(GPT2).keepSpaces();
            case "starcoder", "refact", "codeshell", "exaone", "minerva-7b", "mellum2" -> new Choice(STARCODER);
            case "command-r", "smollm" -> new Choice(STARCODER).keepSpaces();
            case "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0", "mellum",
                 "modern-bert", "exaone4" -> new Choice(GPT2);
            case "jina-v1-en", "jina-v2-code", "roberta-bpe" -> new Choice(GPT2).withSep();
            case "jais-2" -> new Choice(JAIS2);
            case "gemma4", "granite-embed-multi-311m" -> new Choice(GEMMA4).escapingWhitespaces();
            case "sarvam-moe" -> new Choice(GEMMA4).escapingWhitespaces().keepSpaces();
            case "whitespace" -> new Choice(WHITESPACE);
            case "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "hunyuan", "solar-open" -> new Choice(QWEN2).keepSpaces();
            case "megrez", "stablelm2" -> new Choice(QWEN2);
            case "qwen35" -> new Choice(QWEN35).keepSpaces();
            case "dbrx", "smaug-bpe" -> new Choice(LLAMA3);
            case "poro-chat" -> new Choice(PORO).keepSpaces();
            case "bloom", "gpt3-finnish" -> new Choice(PORO);
            case "glm4", "chatglm-bpe" -> new Choice(LLAMA3);
            case "viking" -> new Choice(VIKING).keepSpaces();
            case "tekken" -> new Choice(TEKKEN).keepSpaces().ignoringMerges().withBos();
            case "exaone-moe" -> new Choice(EXAONE_MOE);
            case "chameleon" -> new Choice(CHAMELEON).withBos().keepSpaces();
            case "gpt-4o", "llama4", "kanana2", "talkie", "minimax-m2" -> new Choice(GPT4O).keepSpaces();
            case "granite-embed-multi-97m" -> new Choice(GRANITE_EMB_MULTI).keepSpaces().ignoringMerges();
            case "tiny_aya", "cohere2moe" -> new Choice(TINY_AYA).keepSpaces();
            case "superbpe" -> new Choice(SUPERBPE).keepSpaces();
            case "bailingmoe", "bailingmoe2", "llada-moe" -> new Choice(BAILINGMOE).keepSpaces();
            case "seed-coder" -> new Choice(SEED_CODER).keepSpaces();
            case "kimi-k2" -> new Choice(KIMI_K2).keepSpaces();
            case "ufakzeka" -> new Choice(UFAKZEKA).keepSpaces();
            case "grok-2" -> new Choice(GROK_2).keepSpaces();
            case "afmoe" -> new Choice(AFMOE).keepSpaces();
            case "laguna" -> new Choice(LAGUNA).keepSpaces();
            default -> throw new TokenizerException("unknown pre-tokenizer type '" + name
                    + "' (tokenizer.ggml.pre); llama.cpp's names are supported, e.g. gpt-2, llama-bpe, qwen2, deepseek-coder");
        };
    }
}
