package dev.gantry.knowledge.answer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the answer prompt: instructions, numbered sources, the question. Sources go in rank order while the
 * prompt stays within {@code contextLength - maxTokens}; the best source, if it does not fit whole, is cut to fit,
 * and lower-ranked sources that do not fit are left out (they would only crowd out the answer).
 *
 * @param text    the prompt
 * @param sources the sources it contains, numbered from 1 in the order given
 */
public record AnswerPrompt(String text, List<NumberedSource> sources) {
    static final String INSTRUCTIONS = """
            Answer the question using only the numbered sources below. Cite the source of every statement with its \
            number in square brackets, for example [1] or [2][3]. If the sources do not contain the answer, say that \
            you do not know; do not use any other knowledge.
            """;

    public AnswerPrompt {
        sources = List.copyOf(sources);
    }

    /**
     * @param candidates ranked sources, best first, numbered 1..n
     * @throws IllegalArgumentException when not even the question fits in the budget
     */
    public static AnswerPrompt build(String question, List<NumberedSource> candidates, AnswerModel model, int maxTokens) {
        int budget = model.contextLength() - maxTokens;
        String bare = render(question, List.of());
        if (model.countTokens(bare) > budget) {
            throw new IllegalArgumentException("the question does not fit in the model's context of "
                    + model.contextLength() + " tokens with " + maxTokens + " tokens reserved for the answer");
        }
        List<NumberedSource> included = new ArrayList<>();
        for (NumberedSource source : candidates) {
            List<NumberedSource> trial = new ArrayList<>(included);
            trial.add(source);
            if (model.countTokens(render(question, trial)) <= budget) {
                included = trial;
            } else if (included.isEmpty()) {
                truncateToFit(question, source, model, budget).ifPresent(included::add);
                break;
            } else {
                break;
            }
        }
        return new AnswerPrompt(render(question, included), included);
    }

    /** The longest word-boundary prefix of the source's text that fits with its cut marker; binary search. */
    private static Optional<NumberedSource> truncateToFit(String question, NumberedSource source,
                                                          AnswerModel model, int budget) {
        int lo = 0;
        int hi = source.text().length();
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (model.countTokens(render(question, List.of(cut(source, mid)))) <= budget) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo == 0 ? Optional.empty() : Optional.of(cut(source, lo));
    }

    /** The source cut at the last word boundary before {@code length}, marked as cut. */
    private static NumberedSource cut(NumberedSource source, int length) {
        String text = source.text();
        int space = text.lastIndexOf(' ', length);
        int end = length < text.length() && space > 0 ? space : length;
        return new NumberedSource(source.number(), source.label(), text.substring(0, end) + " …");
    }

    static String render(String question, List<NumberedSource> sources) {
        StringBuilder sb = new StringBuilder(INSTRUCTIONS).append("\nSources:\n");
        for (NumberedSource s : sources) {
            sb.append("\n[").append(s.number()).append("] ").append(s.label()).append('\n').append(s.text()).append('\n');
        }
        return sb.append("\nQuestion: ").append(question.strip()).append("\nAnswer:").toString();
    }
}
