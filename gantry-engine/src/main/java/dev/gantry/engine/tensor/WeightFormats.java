package dev.gantry.engine.tensor;

/** The registry from {@link GgmlType} to its {@link WeightFormat}. */
final class WeightFormats {

    private WeightFormats() {
    }

    static WeightFormat of(GgmlType type) {
        throw new UnsupportedOperationException("unsupported weight type " + type);
    }
}
