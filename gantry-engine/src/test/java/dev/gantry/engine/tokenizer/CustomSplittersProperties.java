package dev.gantry.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Gantry's linear digit splitters give the same pieces as the regexes llama.cpp runs (SuperBPE, Tiny Aya). */
class CustomSplittersProperties {

    @Provide
    Arbitrary<String> digitHeavyText() {
        return Arbitraries.strings().withChars("0123456789a _.\u00e9\u0661\n").ofMaxLength(40);
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
        // all characters here are in the BMP, so code point and char indexes coincide
        assertThat(CustomSplitters.split(regex, cps, whole).toArray())
                .as("%s on '%s'", regex, text)
                .containsExactly(pattern.split(subject, identity, identity, whole).toArray());
    }
}
