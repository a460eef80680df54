package dev.gantry.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Stop strings end the text before them however the text is split into pieces, and hold back no more than needed. */
class StopMatcherTest {

    private static String feed(StopMatcher m, List<String> pieces) {
        StringBuilder out = new StringBuilder();
        for (String p : pieces) {
            out.append(m.accept(p));
        }
        return out.append(m.flush()).toString();
    }

    @Test
    void everySplitOfTheTextGivesTheTextBeforeTheEarliestStop() {
        String text = "Lily saw a big dog. The dog said woof. The end.";
        List<String> stops = List.of("woof", "g. T", "zzz");
        String expected = text.substring(0, text.indexOf("g. T"));
        Random random = new Random(1);
        for (int trial = 0; trial < 500; trial++) {
            List<String> pieces = new java.util.ArrayList<>();
            for (int i = 0; i < text.length(); ) {
                int len = 1 + random.nextInt(6);
                pieces.add(text.substring(i, Math.min(text.length(), i + len)));
                i += len;
            }
            StopMatcher m = new StopMatcher(stops);
            assertThat(feed(m, pieces)).isEqualTo(expected);
            assertThat(m.stopped()).isTrue();
        }
    }

    @Test
    void holdsBackOnlyAPossibleStartOfAStopAndReleasesItWhenItDoesNotComplete() {
        StopMatcher m = new StopMatcher(List.of("END"));
        assertThat(m.accept("abcE")).isEqualTo("abc");
        assertThat(m.accept("N")).isEmpty();
        assertThat(m.accept("x")).isEqualTo("ENx");
        assertThat(m.accept("EN")).isEmpty();
        assertThat(m.flush()).isEqualTo("EN");
        assertThat(m.stopped()).isFalse();
    }

    @Test
    void withoutStopsEverythingPassesAtOnce() {
        StopMatcher m = new StopMatcher(List.of());
        assertThat(m.accept("héllo")).isEqualTo("héllo");
        assertThat(m.flush()).isEmpty();
    }

    @Test
    void nothingAfterAStopIsEverReturned() {
        StopMatcher m = new StopMatcher(List.of("\n\n"));
        assertThat(m.accept("one\n")).isEqualTo("one");
        assertThat(m.accept("\ntwo")).isEmpty();
        assertThat(m.accept("three")).isEmpty();
        assertThat(m.flush()).isEmpty();
    }
}
