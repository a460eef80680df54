package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;
import java.util.Arrays;

/**
 * One entry of the GGUF tensor-info table: name, shape ({@code ne[]}, innermost first), type, and the
 * byte offset of the data relative to the start of the aligned data region.
 */
public record GgufTensorInfo(String name, long[] shape, GgmlType type, long offset) {

    public GgufTensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long byteSize() {
        return type.byteSize(elementCount());
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape);
    }
}
