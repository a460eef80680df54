package dev.gantry.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written splitters give the same pieces as the regexes they stand for: llama.cpp's GPT-2 and Llama 3
 * splitters (which llama.cpp uses instead of the regexes), and Gantry's linear SuperBPE and Tiny Aya digit
 * groupings.
 */
class CustomSplittersProperties {

    @Provide
    Arbitrary<String> digitHeavyText() {
        return Arbitraries.strings().withChars("0123456789a _.\u00e9\u0661\n").ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> mixedText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("aZ9 \t\n\r'sSltdmrevL.,!?-_()\u00e9\u00c9\u0301\u4e2d\u0378\u00a0\u3000\u0661"),
                Arbitraries.of("'s", "'LL", "'re", " \n", "  x", "\n\n ", "123456", "\ud83d\ude42"))
                .list().ofMaxSize(12).map(parts -> String.join("", parts));
    }

    @Property(tries = 3000)
    void gpt2SplitterMatchesTheGpt2Regex(@ForAll("mixedText") String text) {
        // the regex lacks GPT-2's final "|\s+"; whitespace it leaves unmatched becomes its own piece either way
        assertSameSplit(CustomSplitters.GPT2, CustomSplitters.GPT2 + "|\\s+", text);
    }

    @Property(tries = 3000)
    void llama3SplitterMatchesTheLlama3Regex(@ForAll("mixedText") String text) {
        assertSameSplit(CustomSplitters.LLAMA3, CustomSplitters.LLAMA3, text);
    }

    @Property(tries = 2000)
    void superbpeDigitGroupingMatchesItsRegex(@ForAll("digitHeavyText") String text) {
        assertSameSplit(CustomSplitters.SUPERBPE_DIGITS, text);
    }

    @Property(tries = 2000)
    void tinyAyaDigitGroupingMatchesItsRegex(@ForAll("digitHeavyText") String text) {
        assertSameSplit(CustomSplitters.TINY_AYA_DIGITS, text);
    }

    private static void assertSameSplit(String regex, String text) {
        assertSameSplit(regex, regex, text);
    }

    private static void assertSameSplit(String custom, String regex, String text) {
        int[] cps = CodepointFlags.codepoints(text);
        IdList whole = new IdList();
        if (cps.length > 0) {
            whole.add(cps.length);
        }
        int[] identity = new int[cps.length + 1];
        for (int i = 0; i <= cps.length; i++) {
            identity[i] = i;
        }
        CategoryRegex pattern = new CategoryRegex(regex);
        String subject = pattern.collapsed() ? CategoryRegex.collapsedText(cps) : CategoryRegex.plainText(cps);
        // collapsed text has one char per code point; the plain-text regexes here see only BMP characters
        assertThat(CustomSplitters.split(custom, cps, whole).toArray())
                .as("%s on '%s'", regex, text)
                .containsExactly(pattern.split(subject, identity, identity, whole).toArray());
    }
}
