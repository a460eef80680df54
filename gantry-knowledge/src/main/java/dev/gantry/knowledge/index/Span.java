package dev.gantry.knowledge.index;

/** A character range {@code [start, end)} within a chunk's text, e.g. a highlighted query term. */
public record Span(int start, int end) {
    public Span {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
    }
}
