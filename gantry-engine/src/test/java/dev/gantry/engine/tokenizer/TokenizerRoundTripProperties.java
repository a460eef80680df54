package dev.gantry.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * decode(encode(s)) == s on random Unicode text, encoded without special tokens, for the SentencePiece and
 * byte-level BPE vocabularies. What exactly round-trips:
 * <ul>
 *   <li>SentencePiece with add_space_prefix: encode prepends a space, decode (llama_detokenize) removes the first
 *       token's leading space again, so s itself comes back. Text must not contain U+2581, which SentencePiece
 *       uses for spaces and which therefore decodes to a space.</li>
 *   <li>With BOS (addSpecial), llama.cpp keeps that prefix space: decode(encode(s, true, false)) == " " + s for
 *       non-empty s (empty text gets no prefix space: it is just [BOS]).</li>
 *   <li>Byte-level BPE: every byte has a token, so any text comes back when the vocabulary does not clean up
 *       tokenization spaces (deepseek-coder); GPT-2 does, so there the text avoids " ?", " !", " .", " ,", " '".</li>
 * </ul>
 * Text is valid Unicode (no unpaired surrogates, which encode turns into U+FFFD) and contains no text of a
 * user-defined token (deepseek-coder has "õ", "÷", ...; they are matched but also decode to themselves).
 */
class TokenizerRoundTripProperties {

    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    private static Tokenizer tokenizer(String name) {
        return TOKENIZERS.computeIfAbsent(name, n -> SharedVocabularies.open(n.equals("stories260K")
                ? SharedVocabularies.shared().resolve("models/stories260K.gguf") : SharedVocabularies.vocab(n)));
    }

    @Provide
    Arbitrary<String> unicodeText() {
        Arbitrary<Integer> codepoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(0x20, 0x7E)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(0x20, 0x0A, 0x09, 0x0D, 0x3000, 0xA0)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFD)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return codepoint.filter(cp -> cp != 0x2581).list().ofMaxSize(40)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }

    @Property(tries = 300)
    void sentencePieceStories260KRoundTrips(@ForAll("unicodeText") String text) {
        Tokenizer t = tokenizer("stories260K");
        assertThat(t.decode(t.encode(text, false, false))).isEqualTo(text);
    }

    @Property(tries = 300)
    void sentencePieceKeepsThePrefixSpaceAfterBos(@ForAll("unicodeText") String text) {
        net.jqwik.api.Assume.that(!text.isEmpty());
        Tokenizer t = tokenizer("stories260K");
        assertThat(t.decode(t.encode(text, true, false))).isEqualTo(" " + text);
    }

    @Property(tries = 300)
    void sentencePieceLlamaVocabularyRoundTrips(@ForAll("unicodeText") String text) {
        Tokenizer t = tokenizer("llama-spm");
        assertThat(t.decode(t.encode(text, false, false))).isEqualTo(text);
    }

    @Property(tries = 300)
    void byteLevelBpeDeepseekCoderRoundTrips(@ForAll("unicodeText") String text) {
        Tokenizer t = tokenizer("deepseek-coder");
        assertThat(t.decode(t.encode(text, false, false))).isEqualTo(text);
    }

    @Property(tries = 300)
    void byteLevelBpeGpt2RoundTripsTextWithoutCleanedUpSpaces(@ForAll("unicodeText") String text) {
        String safe = text.replaceAll(" (?=[?!.,'])", "_");
        Tokenizer t = tokenizer("gpt-2");
        assertThat(t.decode(t.encode(safe, false, false))).isEqualTo(safe);
    }
}
