package dev.gantry.knowledge.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AnswerPromptTest {

    /** Counts one token per word, with a context of {@code context} tokens. */
    private record WordModel(int context) implements AnswerModel {
        @Override
        public void generate(String prompt, int maxTokens, Consumer<String> onText) {
        }

        @Override
        public int countTokens(String text) {
            return text.isBlank() ? 0 : text.strip().split("\\s+").length;
        }

        @Override
        public int contextLength() {
            return context;
        }
    }

    private static final List<NumberedSource> SOURCES = List.of(
            new NumberedSource(1, "a.md", "alpha ".repeat(30).strip()),
            new NumberedSource(2, "b.md", "beta ".repeat(30).strip()),
            new NumberedSource(3, "c.md", "gamma ".repeat(30).strip()));

    private static int bare(String question) {
        return new WordModel(0).countTokens(AnswerPrompt.render(question, List.of()));
    }

    @Test
    void sourcesAreNumberedAndIncludedInRankOrderWhileTheyFit() {
        int budget = bare("why?") + 2 * 32 + 5; // room for two sources of 30 words plus "[n] label"
        AnswerPrompt prompt = AnswerPrompt.build("why?", SOURCES, new WordModel(budget + 100), 100);
        assertThat(prompt.sources()).extracting(NumberedSource::number).containsExactly(1, 2);
        assertThat(prompt.text()).contains("[1] a.md\nalpha", "[2] b.md\nbeta").doesNotContain("gamma")
                .startsWith(AnswerPrompt.INSTRUCTIONS).endsWith("Question: why?\nAnswer:");
    }

    @Test
    void bestSourceIsCutToFitWhenItAloneIsTooLong() {
        int budget = bare("why?") + 12;
        AnswerPrompt prompt = AnswerPrompt.build("why?", SOURCES, new WordModel(budget + 10), 10);
        assertThat(prompt.sources()).singleElement().satisfies(s -> {
            assertThat(s.number()).isEqualTo(1);
            assertThat(s.text()).startsWith("alpha").endsWith(" …");
        });
        assertThat(new WordModel(0).countTokens(prompt.text())).isLessThanOrEqualTo(budget);
    }

    @Test
    void questionThatCannotFitIsAnError() {
        assertThatThrownBy(() -> AnswerPrompt.build("why?", SOURCES, new WordModel(20), 10))
                .hasMessageContaining("does not fit").hasMessageContaining("20 tokens");
    }
}
