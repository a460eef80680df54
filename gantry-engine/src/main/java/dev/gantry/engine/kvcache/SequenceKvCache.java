package dev.gantry.engine.kvcache;

/**
 * The keys and values of one sequence, contiguous per layer: {@code keys[layer][pos * kvDim + i]}. Values are
 * stored rounded to half precision, since that is what llama.cpp's default F16 cache keeps and what its outputs
 * (our references) were computed from.
 */
public final class SequenceKvCache {

    private final float[][] keys;   // (layer, capacity * kvDim)
    private final float[][] values; // (layer, capacity * vDim)
    private final int kvDim;
    private final int vDim;
    private final int capacity;

    public SequenceKvCache(int layers, int capacity, int kvDim, int vDim) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("KV capacity must be positive, got " + capacity);
        }
        this.keys = new float[layers][Math.multiplyExact(capacity, kvDim)];
        this.values = new float[layers][Math.multiplyExact(capacity, vDim)];
        this.kvDim = kvDim;
        this.vDim = vDim;
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }

    /** Stores the key and value of position {@code pos} of {@code layer}, read from {@code k[kOff..]}, {@code v[vOff..]}. */
    public void put(int layer, int pos, float[] k, int kOff, float[] v, int vOff) {
        if (pos < 0 || pos >= capacity) {
            throw new IndexOutOfBoundsException("position " + pos + " is outside the KV cache of " + capacity);
        }
        float[] kd = keys[layer];
        float[] vd = values[layer];
        int kBase = pos * kvDim;
        int vBase = pos * vDim;
        for (int i = 0; i < kvDim; i++) {
            kd[kBase + i] = toHalf(k[kOff + i]);
        }
        for (int i = 0; i < vDim; i++) {
            vd[vBase + i] = toHalf(v[vOff + i]);
        }
    }

    public float[] keys(int layer) {
        return keys[layer];
    }

    public float[] values(int layer) {
        return values[layer];
    }

    private static float toHalf(float x) {
        return Float.float16ToFloat(Float.floatToFloat16(x));
    }
}
