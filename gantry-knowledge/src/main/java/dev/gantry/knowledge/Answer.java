package dev.gantry.knowledge;

import java.util.List;

/**
 * An answer and its sources.
 *
 * @param text          the generated answer (or the nothing-found message)
 * @param relevantFound false when retrieval found nothing relevant: then the model was not asked, and {@code text}
 *                      says so
 * @param citations     the sources the answer cites, in order of first citation
 * @param sources       every source the model was shown, numbered as in the prompt
 */
public record Answer(String text, boolean relevantFound, List<Citation> citations, List<Citation> sources) {
    public Answer {
        citations = List.copyOf(citations);
        sources = List.copyOf(sources);
    }
}
