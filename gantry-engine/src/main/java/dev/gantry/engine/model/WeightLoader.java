package dev.gantry.engine.model;

import dev.gantry.engine.gguf.GgufException;
import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.WeightFormat;
import java.util.Arrays;

/**
 * Looks tensors up by name and checks their shapes and types, so a malformed file fails at load, naming the file
 * and the tensor, not mid-forward. Matrices stay views into the mapped file; vectors are dequantized to floats.
 */
record WeightLoader(GgufFile file) {

    boolean has(String name) {
        return file.hasTensor(name);
    }

    /** A matrix of ggml shape {@code [in, out]} ({@code out} rows of {@code in}) in a supported weight format. */
    Tensor matrix(String name, int in, int out) {
        Tensor t = require(name);
        long[] s = t.shape();
        if (s.length != 2 || s[0] != in || s[1] != out) {
            throw new GgufException(file.path(), "tensor '" + name + "' has shape " + Arrays.toString(s)
                    + ", expected [" + in + ", " + out + "]");
        }
        format(t);
        return t;
    }

    /** A matrix with {@code in} columns and at least {@code minRows} rows (position tables, token types). */
    Tensor rows(String name, int in, int minRows) {
        Tensor t = require(name);
        long[] s = t.shape();
        if (s.length != 2 || s[0] != in || s[1] < minRows) {
            throw new GgufException(file.path(), "tensor '" + name + "' has shape " + Arrays.toString(s)
                    + ", expected [" + in + ", >= " + minRows + "]");
        }
        format(t);
        return t;
    }

    float[] vector(String name, int n) {
        Tensor t = require(name);
        if (t.elementCount() != n) {
            throw new GgufException(file.path(), "tensor '" + name + "' has " + t.elementCount() + " elements, expected " + n);
        }
        float[] v = new float[n];
        format(t).dequantize(t.data(), 0, v, 0, n);
        return v;
    }

    float[] optionalVector(String name, int n) {
        return has(name) ? vector(name, n) : null;
    }

    private Tensor require(String name) {
        if (!file.hasTensor(name)) {
            throw new GgufException(file.path(), "tensor '" + name + "' is missing");
        }
        return file.tensor(name);
    }

    private WeightFormat format(Tensor t) {
        try {
            return WeightFormat.of(t.type());
        } catch (UnsupportedOperationException e) {
            throw new GgufException(file.path(), "tensor '" + t.name() + "' has unsupported weight type " + t.type());
        }
    }
}
