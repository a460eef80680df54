package dev.gantry.knowledge.ingest;

/** A test token counter: one token per whitespace-separated word. */
final class WordCounter implements TokenCounter {
    @Override
    public int count(String text) {
        String s = text.strip();
        return s.isEmpty() ? 0 : s.split("\\s+").length;
    }
}
