package dev.gantry.engine.gguf;

import java.util.Arrays;

/**
 * A metadata array. {@code values} is a primitive array for numeric element types ({@code long[]} for every
 * integer type, {@code float[]} for FLOAT32, {@code double[]} for FLOAT64, {@code boolean[]} for BOOL),
 * {@code String[]} for STRING, and {@code GgufArray[]} for nested arrays.
 */
public record GgufArray(GgufValueType elementType, Object values) {

    public int length() {
        return java.lang.reflect.Array.getLength(values);
    }

    @Override
    public String toString() {
        return elementType + "[" + length() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufArray a && a.elementType == elementType && Arrays.deepEquals(new Object[] {values}, new Object[] {a.values});
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {values}) * 31 + elementType.hashCode();
    }
}
