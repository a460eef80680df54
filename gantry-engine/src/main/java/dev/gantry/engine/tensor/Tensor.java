package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A named view over weights in memory (usually a slice of the mapped GGUF file). {@code shape[0]} is the
 * innermost (contiguous) dimension, as in ggml's {@code ne[]}: a matrix with shape {@code [cols, rows]} stores
 * {@code rows} rows of {@code cols} elements each, {@link #rowBytes()} apart.
 *
 * <p>{@code format} says how those bytes are laid out: null for the GGUF layout of {@code type}
 * ({@link WeightFormat#of}), or a layout repacked at load time for the kernels ({@link Repacking}), which holds
 * the same numbers.
 */
public record Tensor(String name, GgmlType type, long[] shape, MemorySegment data, WeightFormat format) {

    public Tensor {
        shape = shape.clone();
        if (format != null && format.type() != type) {
            throw new IllegalArgumentException("tensor " + name + " of type " + type + " laid out as " + format.type());
        }
        long expected = format == null
                ? type.byteSize(elementCount(shape))
                : format.rowBytes(Math.toIntExact(shape[0])) * (elementCount(shape) / shape[0]);
        if (data.byteSize() < expected) {
            throw new IllegalArgumentException("tensor " + name + " needs " + expected + " bytes, has " + data.byteSize());
        }
    }

    /** A tensor in the GGUF layout of its type. */
    public Tensor(String name, GgmlType type, long[] shape, MemorySegment data) {
        this(name, type, shape, data, null);
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** How {@link #data} is laid out; an {@link UnsupportedOperationException} for a type without kernels. */
    @Override
    public WeightFormat format() {
        return format != null ? format : WeightFormat.of(type);
    }

    /** Whether the data is in a layout of Gantry's rather than the file's. */
    public boolean repacked() {
        return format != null;
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
        return format != null ? format.rowBytes(cols()) : type.byteSize(shape[0]);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape) + (format != null ? " (repacked)" : "");
    }
}
