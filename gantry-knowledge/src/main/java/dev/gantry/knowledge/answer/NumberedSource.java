package dev.gantry.knowledge.answer;

/**
 * One source shown to the model as {@code [number]}.
 *
 * @param label where it comes from, as the model sees it (document name, heading path, page)
 */
public record NumberedSource(int number, String label, String text) {
    public NumberedSource {
        if (number < 1) {
            throw new IllegalArgumentException("source numbers start at 1, got " + number);
        }
    }
}
