package dev.gantry.engine.kvcache;

import dev.gantry.engine.tensor.Quantizer;
import dev.gantry.engine.tensor.WeightFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The memory of every KV block, allocated once off-heap. Layout: per layer of a block, one key segment and one
 * value segment, each an array of slots, {@code (layer, slot, kvDim)} with {@code slot = block * blockSize + offset}
 * (vLLM's "slot mapping"). So the rows of one block are contiguous within a layer, and a layer's attention touches
 * only that layer's two segments, which is the order {@code Transformer.forward} works in. A block holds the
 * {@link KvCacheGroups#groupSize()} layers of one group: in a hybrid model, layer 3 of a global group and layer 2
 * of a sliding one may share a segment, each owning the blocks its own group's tables list.
 *
 * <p>Rows are in the ggml layout of {@link KvCacheType#ggmlType()}, little-endian: F16 halves, or Q8_0 blocks of 32
 * quantized along the row. That is what the tensor package's {@link WeightFormat} kernels read, so an attention
 * kernel gets the fast path with no copy:
 * <pre>
 *   // scores of one query head against the first n tokens of a block (one dotRows, vectorised):
 *   storage.format().dotRows(storage.keys(layer), storage.keyOffset(slot0) + storage.elementOffset(h * headDim),
 *           storage.keyRowBytes(), n, q, qOff, headDim, scores, sOff);
 *   // or just: storage.dotKeys(layer, block, n, h * headDim, q, qOff, headDim, scores, sOff);
 * </pre>
 * and decodes values with {@link #valueAt}. For Q8_0 a head's slice must start on a 32-element boundary (head
 * dimensions of 32, 64, 128...); smaller heads decode the whole row with {@link #keyAt}.
 *
 * <p>Thread-safety: writes to distinct slots and reads may run on many threads at once; nothing here locks.
 * Everything must finish before {@link #close()}, which frees the memory.
 */
public final class KvBlockStorage implements AutoCloseable {

    private static final long ALIGNMENT = 64; // a cache line: rows of F16 heads start on it whenever kvDim allows

    private final Arena arena;
    private final MemorySegment[] keys;   // (layer's slot in block) -> (slot, kvDim)
    private final MemorySegment[] values; // (layer's slot in block) -> (slot, vDim)
    private final KvCacheGroups groups;
    private final KvCacheType type;
    private final WeightFormat format;
    private final Quantizer quantizer;
    private final int blockSize;
    private final int blockCount;
    private final int kvDim;
    private final int vDim;
    private final long keyRowBytes;
    private final long valueRowBytes;

    /** Allocates (and zeroes) {@code blockCount} blocks for {@code shape}; fails with a clear error if the OS refuses. */
    public KvBlockStorage(KvCacheConfig config, KvShape shape, int blockCount) {
        if (blockCount <= 0) {
            throw new IllegalArgumentException("KV storage needs at least one block, got " + blockCount);
        }
        this.type = config.type();
        this.format = WeightFormat.of(type.ggmlType());
        this.quantizer = Quantizer.of(type.ggmlType());
        this.blockSize = config.blockSize();
        this.blockCount = blockCount;
        this.kvDim = shape.kvDim();
        this.vDim = shape.vDim();
        this.keyRowBytes = type.rowBytes(kvDim);
        this.valueRowBytes = type.rowBytes(vDim);
        long slots = (long) blockCount * blockSize;
        this.arena = Arena.ofShared();
        this.groups = shape.groups();
        this.keys = new MemorySegment[shape.layersPerBlock()];
        this.values = new MemorySegment[shape.layersPerBlock()];
        try {
            for (int l = 0; l < keys.length; l++) {
                keys[l] = arena.allocate(slots * keyRowBytes, ALIGNMENT);
                values[l] = arena.allocate(slots * valueRowBytes, ALIGNMENT);
            }
        } catch (OutOfMemoryError e) {
            arena.close();
            throw new IllegalStateException("could not allocate a KV cache of " + blockCount + " blocks ("
                    + config.blockBytes(shape) * blockCount + " bytes off-heap); lower the KV cache memory", e);
        }
    }

    public KvCacheType type() {
        return type;
    }

    /** The kernels for the row format: {@code dot}, {@code dotRows}, {@code dequantize}. */
    public WeightFormat format() {
        return format;
    }

    public int blockSize() {
        return blockSize;
    }

    public int blockCount() {
        return blockCount;
    }

    /** Model layers served; a block holds {@link KvCacheGroups#groupSize()} of them, those of its group. */
    public int layers() {
        return groups.layers();
    }

    /** Which layers share a block table; a layer's slots are numbered by its group's tables. */
    public KvCacheGroups groups() {
        return groups;
    }

    public int kvDim() {
        return kvDim;
    }

    public int vDim() {
        return vDim;
    }

    /**
     * The key rows of one layer, {@code (slot, kvDim)}, {@link #keyRowBytes()} bytes a slot. The layers of one slot
     * in block share these rows across groups, so a slot means this layer only through its own group's table.
     */
    public MemorySegment keys(int layer) {
        return keys[groups.slotInBlock(layer)];
    }

    /** The value rows of one layer, {@code (slot, vDim)}, {@link #valueRowBytes()} bytes a slot. */
    public MemorySegment values(int layer) {
        return values[groups.slotInBlock(layer)];
    }

    public long keyRowBytes() {
        return keyRowBytes;
    }

    public long valueRowBytes() {
        return valueRowBytes;
    }

    /** The slot of token {@code offset} of block {@code blockId}. */
    public int slot(int blockId, int offset) {
        if (blockId < 0 || blockId >= blockCount || offset < 0 || offset >= blockSize) {
            throw new IndexOutOfBoundsException("no KV slot at block " + blockId + " offset " + offset + " (blocks "
                    + blockCount + " of " + blockSize + " tokens)");
        }
        return blockId * blockSize + offset;
    }

    /** Byte offset of a slot's key row within {@link #keys(int)}. */
    public long keyOffset(int slot) {
        return slot * keyRowBytes;
    }

    /** Byte offset of a slot's value row within {@link #values(int)}. */
    public long valueOffset(int slot) {
        return slot * valueRowBytes;
    }

    /** Byte offset of element {@code element} inside a key or value row (a multiple of 32 for Q8_0). */
    public long elementOffset(int element) {
        return type.rowBytes(element);
    }

    /**
     * Stores the key {@code k[kOff..kOff+kvDim)} and value {@code v[vOff..vOff+vDim)} of the token in slot
     * {@code offset} of block {@code blockId}, in {@code layer}: rounded to half precision (round to nearest even,
     * as {@code Float.floatToFloat16} and ggml's F16C path) or quantized to Q8_0 as ggml's reference does.
     */
    public void write(int blockId, int offset, int layer, float[] k, int kOff, float[] v, int vOff) {
        writeSlot(slot(blockId, offset), layer, k, kOff, v, vOff);
    }

    /** As {@link #write}, addressed by slot number. */
    public void writeSlot(int slot, int layer, float[] k, int kOff, float[] v, int vOff) {
        checkSlot(slot);
        quantizer.quantize(k, kOff, keys(layer), keyOffset(slot), kvDim);
        quantizer.quantize(v, vOff, values(layer), valueOffset(slot), vDim);
    }

    /** Decodes the whole key row ({@code kvDim} floats) of a token into {@code out[outOff..]}. */
    public void keyAt(int layer, int blockId, int offset, float[] out, int outOff) {
        format.dequantize(keys(layer), keyOffset(slot(blockId, offset)), out, outOff, kvDim);
    }

    /** Decodes the whole value row ({@code vDim} floats) of a token into {@code out[outOff..]}. */
    public void valueAt(int layer, int blockId, int offset, float[] out, int outOff) {
        format.dequantize(values(layer), valueOffset(slot(blockId, offset)), out, outOff, vDim);
    }

    /** Decodes {@code n} value elements from {@code element} (one head's slice) of a token. */
    public void valueAt(int layer, int blockId, int offset, int element, int n, float[] out, int outOff) {
        checkSlice(element, n, vDim);
        format.dequantize(values(layer), valueOffset(slot(blockId, offset)) + elementOffset(element), out, outOff, n);
    }

    /**
     * {@code scores[sOff + t] = q[qOff..qOff+n) . key[element..element+n)} for the first {@code count} tokens of a
     * block: one query head against one block, the inner loop of paged attention, on the vector kernel.
     */
    public void dotKeys(int layer, int blockId, int count, int element, float[] q, int qOff, int n,
                        float[] scores, int sOff) {
        if (count < 0 || count > blockSize) {
            throw new IndexOutOfBoundsException("a block has " + blockSize + " tokens, asked for " + count);
        }
        checkSlice(element, n, kvDim);
        long offset = keyOffset(slot(blockId, 0)) + elementOffset(element);
        format.dotRows(keys(layer), offset, keyRowBytes, count, q, qOff, n, scores, sOff);
    }

    /** Copies every layer's keys and values of block {@code from} to block {@code to} (copy-on-write). */
    public void copyBlock(int from, int to) {
        long kBytes = blockSize * keyRowBytes;
        long vBytes = blockSize * valueRowBytes;
        long kFrom = keyOffset(slot(from, 0));
        long kTo = keyOffset(slot(to, 0));
        long vFrom = valueOffset(slot(from, 0));
        long vTo = valueOffset(slot(to, 0));
        for (int l = 0; l < keys.length; l++) {
            MemorySegment.copy(keys[l], kFrom, keys[l], kTo, kBytes);
            MemorySegment.copy(values[l], vFrom, values[l], vTo, vBytes);
        }
    }

    /** Frees the memory; every later access fails with {@link IllegalStateException}. */
    @Override
    public void close() {
        arena.close();
    }

    private void checkSlot(int slot) {
        if (slot < 0 || slot >= blockCount * blockSize) {
            throw new IndexOutOfBoundsException("KV slot " + slot + " is outside 0.." + (blockCount * blockSize - 1));
        }
    }

    private static void checkSlice(int element, int n, int width) {
        if (element < 0 || n < 0 || element + n > width) {
            throw new IndexOutOfBoundsException("elements " + element + ".." + (element + n) + " are outside a row of " + width);
        }
    }
}
