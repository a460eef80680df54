package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A named view over weights in memory (usually a slice of the mapped GGUF file). {@code shape[0]} is the
 * innermost (contiguous) dimension, as in ggml's {@code ne[]}: a matrix with shape {@code [cols, rows]} stores
 * {@code rows} rows of {@code cols} elements each.
 */
public record Tensor(String name, GgmlType type, long[] shape, MemorySegment data) {

    public Tensor {
        shape = shape.clone();
        long expected = type.byteSize(elementCount(shape));
        if (data.byteSize() < expected) {
            throw new IllegalArgumentException("tensor " + name + " needs " + expected + " bytes, has " + data.byteSize());
        }
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long elementCount() {
        return elementCount(shape);
    }

    /** Elements per row (the contiguous dimension). */
    public int cols() {
        return Math.toIntExact(shape[0]);
    }

    /** Number of rows: the product of all dimensions but the first. */
    public int rows() {
        return Math.toIntExact(elementCount() / shape[0]);
    }

    public long rowBytes() {
        return type.byteSize(shape[0]);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape);
    }
}
