package dev.gantry.app.bench;

import dev.gantry.engine.gguf.QuantizedModelWriter;
import dev.gantry.engine.gguf.SyntheticShape;
import dev.gantry.engine.tensor.GgmlType;
import java.util.Locale;

/** A synthetic model as the command line names it, {@code SHAPE:TYPE} ({@code llama-1b:q4_0}). */
public record SyntheticSpec(SyntheticShape shape, GgmlType type) {

    public static SyntheticSpec parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--synthetic '" + text + "' should be NAME:TYPE, e.g. llama-1b:q4_0");
        }
        SyntheticShape shape = SyntheticShape.named(text.substring(0, colon).strip());
        GgmlType type = QuantizedModelWriter.parseType(text.substring(colon + 1));
        return new SyntheticSpec(shape, type);
    }

    /** {@code llama-1b:q4_0}. */
    public String label() {
        return shape.name() + ":" + type.name().toLowerCase(Locale.ROOT);
    }

    /** {@code llama-1b-q4_0.gguf}. */
    public String fileName() {
        return shape.name() + "-" + type.name().toLowerCase(Locale.ROOT) + ".gguf";
    }
}
