package dev.gantry.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The pre-tokenizers split as llama.cpp's regexes do, for every name llama.cpp knows. */
class PreTokenizerTest {

    /** Every tokenizer.ggml.pre name llama.cpp's llama_vocab::impl::load accepts (as of 2026). */
    static final List<String> LLAMA_CPP_NAMES = List.of("default", "minicpm5", "llama3", "llama-v3", "llama-bpe",
            "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano", "deepseek-llm", "deepseek-coder",
            "deepseek-v3", "spark2_5", "youtu", "falcon", "mpt", "starcoder", "gpt-2", "phi-2", "jina-es", "jina-de",
            "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0", "mellum", "modern-bert", "jais-2", "gemma4",
            "granite-embed-multi-311m", "sarvam-moe", "jina-v1-en", "jina-v2-code", "roberta-bpe", "whitespace", "refact",
            "command-r", "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "qwen35", "stablelm2", "olmo", "dbrx",
            "smaug-bpe", "poro-chat", "glm4", "chatglm-bpe", "viking", "jais", "tekken", "smollm", "codeshell", "bloom",
            "gpt3-finnish", "exaone", "exaone4", "exaone-moe", "chameleon", "minerva-7b", "megrez", "gpt-4o", "llama4",
            "kanana2", "talkie", "granite-embed-multi-97m", "tiny_aya", "cohere2moe", "superbpe", "trillion",
            "granite-docling", "bailingmoe", "bailingmoe2", "llada-moe", "seed-coder", "hunyuan", "hunyuan-dense", "hy_v4",
            "joyai-llm", "kimi-k2", "ufakzeka", "grok-2", "afmoe", "laguna", "minimax-m2", "solar-open", "mellum2");

    private static final String SAMPLE = "Hello, World!\n\n  It's 2024: 12345678 apples\t\u2014 na\u00efve caf\u00e9 "
            + "\u6771\u4eac\u30bf\u30ef\u30fc \ud55c\uad6d\uc5b4 \ud83d\ude42\ud83d\ude42 ab-cd_ef\r\n<sentinel:12> IMGIMGABZ   ";

    @TempDir
    Path dir;

    private static List<String> split(PreTokenizerType type, String text) {
        return new PreTokenizer(type).split(text);
    }

    @Test
    void gpt2GivesBackOneSpaceBeforeAWordAndKeepsContractions() {
        assertThat(split(PreTokenizerType.GPT2, "Hello world's  123 !!\n"))
                .containsExactly("Hello", "Ġworld", "'s", "Ġ", "Ġ123", "Ġ!!", "Ċ");
    }

    @Test
    void llama3GroupsDigitsByThreeAndNewlinesWithPrecedingSpace() {
        assertThat(split(PreTokenizerType.LLAMA3, "12345 abc\n\n  x"))
                .containsExactly("123", "45", "Ġabc", "ĊĊ", "Ġ", "Ġx");
    }

    @Test
    void qwen2SplitsEveryDigitThroughTheCollapsedRegex() {
        assertThat(split(PreTokenizerType.QWEN2, "12345 abc"))
                .containsExactly("1", "2", "3", "4", "5", "Ġabc");
    }

    @Test
    void deepseekCoderCascadesItsRegexesOverThePieces() {
        assertThat(split(PreTokenizerType.DEEPSEEK_CODER, "ab12\ncd"))
                .containsExactly("ab", "1", "2", "Ċ", "cd");
    }

    @Test
    void tekkenSplitsCamelCaseIntoUpperThenLowerRuns() {
        assertThat(split(PreTokenizerType.TEKKEN, "helloWorldABC"))
                .containsExactly("hello", "World", "ABC");
    }

    @Test
    void deepseekLlmLetterClassKeepsItsLetterlikeRangesNarrow() {
        // the class holds U+212A..U+212D (KELVIN SIGN..); read as 'K'..U+212D it would also take U+0700
        assertThat(split(PreTokenizerType.DEEPSEEK_LLM, "a\u0700b\u212Ac"))
                .containsExactly("a", new ByteUnicodeMap().encode("\u0700"), "b", new ByteUnicodeMap().encode("\u212A"), "c");
    }

    @Test
    void nonAsciiLettersAreLettersInTheCollapsedRegex() {
        assertThat(split(PreTokenizerType.QWEN2, " caf\u00e9"))
                .containsExactly(new ByteUnicodeMap().encode(" caf\u00e9"));
    }

    @Test
    void superbpeCutsDigitRunsIntoGroupsOfThreeFromTheRight() {
        assertThat(split(PreTokenizerType.SUPERBPE, "1234567"))
                .containsExactly("1", "234", "567");
    }

    @TestFactory
    Stream<DynamicTest> everyLlamaCppNameSplitsTextLosslessly() {
        return LLAMA_CPP_NAMES.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            PreTokenizerType type = PreTokenizerType.resolve(name).type();
            String joined = String.join("", split(type, SAMPLE));
            assertThat(joined).isEqualTo(type.byteEncode() ? new ByteUnicodeMap().encode(SAMPLE) : SAMPLE);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyLlamaCppNameRoundTripsThroughAByteVocabulary() {
        // "whitespace" vocabularies hold raw UTF-8 tokens, which this byte-alphabet vocabulary cannot stand for
        return LLAMA_CPP_NAMES.stream().filter(name -> !name.equals("whitespace")).map(name -> DynamicTest.dynamicTest(name, () -> {
            Tokenizer tokenizer = byteVocabulary(name).tokenizer(dir);
            String text = SAMPLE.replace(" IMG", "IMG"); // nothing for clean-up to remove ("IMG" after a space is fine too)
            assertThat(tokenizer.decode(tokenizer.encode(text, false, false))).isEqualTo(text);
        }));
    }

    @TestFactory
    Stream<DynamicTest> longWordsDoNotExhaustASmallThreadStack() {
        List<String> inputs = List.of("a".repeat(20_000), "\u00c9".repeat(20_000), "7".repeat(20_000),
                " ".repeat(20_000), "aB".repeat(10_000), "\u0915\u093f".repeat(10_000), "\ud55c ".repeat(10_000));
        return Arrays.stream(PreTokenizerType.values()).map(type -> DynamicTest.dynamicTest(type.name(), () -> {
            for (String input : inputs) {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread thread = new Thread(null, () -> {
                    try {
                        assertThat(String.join("", split(type, input))).hasSizeGreaterThanOrEqualTo(input.length());
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }, "small-stack", 512 * 1024);
                thread.start();
                thread.join();
                assertThat(failure.get()).as("%s on %s...", type, input.substring(0, 4)).isNull();
            }
        }));
    }

    /** A byte-level vocabulary: GPT-2's 256 byte characters, the 256 "<0xAB>" byte tokens, "▁" and one merge. */
    static GgufVocabularyWriter byteVocabulary(String pre) {
        ByteUnicodeMap map = new ByteUnicodeMap();
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(map.encode((byte) b)));
            types.add(Tokenizer.TYPE_NORMAL);
        }
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(Tokenizer.TYPE_BYTE);
        }
        tokens.add("\u2581");
        types.add(Tokenizer.TYPE_NORMAL);
        tokens.add("Ġt");
        types.add(Tokenizer.TYPE_NORMAL);
        tokens.add("<|endoftext|>");
        types.add(Tokenizer.TYPE_CONTROL);
        return new GgufVocabularyWriter()
                .put("tokenizer.ggml.model", "gpt2")
                .put("tokenizer.ggml.pre", pre)
                .put("tokenizer.ggml.tokens", tokens.toArray(String[]::new))
                .put("tokenizer.ggml.token_type", types.stream().mapToInt(Integer::intValue).toArray())
                .put("tokenizer.ggml.merges", new String[] {"Ġ t"})
                .put("tokenizer.ggml.bos_token_id", tokens.size() - 1)
                .put("tokenizer.ggml.eos_token_id", tokens.size() - 1);
    }
}
