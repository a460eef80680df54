package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a GGUF file (version 3 by default, 2 on request: the layouts are identical, see {@link GgufFile}) in one
 * pass, so that a model far larger than memory can be written tensor by tensor:
 * <ol>
 *   <li>declare metadata ({@code put*}) and tensors ({@link #addTensor}) in any mix;</li>
 *   <li>{@link #writeHeader()} (or the first {@link #writeTensor}) computes every tensor's offset and writes the
 *       header, the tensor infos and the padding;</li>
 *   <li>write each tensor's bytes in declaration order, whole or in consecutive parts; each tensor is padded to
 *       the alignment once its last byte is written;</li>
 *   <li>{@link #close()} publishes the file.</li>
 * </ol>
 *
 * <p>The file is written as {@code <name>.partial} beside the target and renamed onto it by {@code close()} only
 * when every declared tensor is complete, so a crash never leaves a truncated file that looks like a model. Closing
 * early deletes the partial file.
 *
 * <p>Tensor data is aligned to {@code general.alignment} (a power of two; 32 when absent), as llama.cpp's
 * {@code gguf_write_to_buf} does: offset {@code i} is the sum of the previous tensors' sizes, each rounded up to the
 * alignment. Putting a key twice replaces its value and keeps its first position. Misuse is an
 * {@link IllegalArgumentException} or {@link IllegalStateException}, an I/O failure an
 * {@link UncheckedIOException}; every message names the file.
 */
public final class GgufWriter implements AutoCloseable {

    public static final long DEFAULT_ALIGNMENT = 32;
    /** llama.cpp keeps names in {@code char[GGML_MAX_NAME = 64]} with a NUL, and refuses longer ones. */
    public static final int MAX_TENSOR_NAME_BYTES = 63;
    private static final int MAGIC = 0x46554747;
    private static final int MAX_DIMS = 4;
    private static final long MAX_ALIGNMENT = 1L << 31;
    /** A ByteBuffer view is int-sized, so large segments go to the channel in slices. */
    private static final long WRITE_SLICE = 1L << 26;
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private enum State { DECLARING, WRITING_DATA, CLOSED }

    private record Declared(String name, GgmlType type, long[] shape) {
    }

    private final Path path;
    private final Path partial;
    private final int version;
    private final FileChannel channel;
    private final Map<String, byte[]> metadata = new LinkedHashMap<>();
    private final Map<String, Declared> declared = new LinkedHashMap<>();
    private long alignment = DEFAULT_ALIGNMENT;
    private State state = State.DECLARING;
    private boolean failed;
    private List<GgufTensorInfo> infos = List.of();
    private int current;
    private long currentWritten;
    private ByteBuffer staging;

    private GgufWriter(Path path, int version) {
        this.path = path;
        this.version = version;
        this.partial = path.resolveSibling(path.getFileName() + ".partial");
        try {
            this.channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot create " + partial + ": " + e.getMessage(), e);
        }
    }

    /** Starts a GGUF version 3 file. */
    public static GgufWriter create(Path path) {
        return create(path, 3);
    }

    /** Starts a GGUF file of the given version, 2 or 3. */
    public static GgufWriter create(Path path, int version) {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException(path + ": GGUF version must be 2 or 3, got " + version);
        }
        return new GgufWriter(path, version);
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    /**
     * Puts a metadata value given as the reader returns it ({@link GgufMetadata}): an integral {@code Number} for the
     * integer types (range-checked; the 64-bit types take any bit pattern), a {@code Number} for the float types, a
     * {@code Boolean}, a {@code String}, or a {@link GgufArray} for {@link GgufValueType#ARRAY}.
     */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        requireDeclaring();
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(path + ": metadata key must not be empty");
        }
        if (type == null || value == null) {
            throw new IllegalArgumentException(path + ": metadata key '" + key + "' needs a type and a value");
        }
        GgufEncoder e = new GgufEncoder(path);
        e.string(key, "metadata key");
        if (e.size() - 8 > 0xFFFF) {
            throw new IllegalArgumentException(path + ": metadata key '" + key.substring(0, 40) + "...' is longer than 65535 bytes");
        }
        e.u32(type.ordinal());
        e.value("metadata key '" + key + "'", type, value, 0);
        if (key.equals("general.alignment")) {
            if (!GgufEncoder.isInteger(type)) {
                throw new IllegalArgumentException(path + ": general.alignment must be an integer (UINT32), got " + type);
            }
            alignment = checkAlignment(((Number) value).longValue());
        }
        metadata.put(key, e.toByteArray());
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValueType.STRING, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, value);
    }

    public GgufWriter putUint8(String key, int value) {
        return put(key, GgufValueType.UINT8, value);
    }

    public GgufWriter putInt8(String key, int value) {
        return put(key, GgufValueType.INT8, value);
    }

    public GgufWriter putUint16(String key, int value) {
        return put(key, GgufValueType.UINT16, value);
    }

    public GgufWriter putInt16(String key, int value) {
        return put(key, GgufValueType.INT16, value);
    }

    public GgufWriter putUint32(String key, long value) {
        return put(key, GgufValueType.UINT32, value);
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValueType.INT32, value);
    }

    /** {@code value} is written as its 64 bits, so negative longs stand for values above {@code Long.MAX_VALUE}. */
    public GgufWriter putUint64(String key, long value) {
        return put(key, GgufValueType.UINT64, value);
    }

    public GgufWriter putInt64(String key, long value) {
        return put(key, GgufValueType.INT64, value);
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValueType.FLOAT32, value);
    }

    public GgufWriter putFloat64(String key, double value) {
        return put(key, GgufValueType.FLOAT64, value);
    }

    public GgufWriter putArray(String key, GgufArray value) {
        return put(key, GgufValueType.ARRAY, value);
    }

    public GgufWriter putStrings(String key, String... values) {
        return putArray(key, new GgufArray(GgufValueType.STRING, values.clone()));
    }

    public GgufWriter putInt32s(String key, int... values) {
        long[] wide = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return putArray(key, new GgufArray(GgufValueType.INT32, wide));
    }

    public GgufWriter putFloat32s(String key, float... values) {
        return putArray(key, new GgufArray(GgufValueType.FLOAT32, values.clone()));
    }

    /** Copies every entry of {@code source} with its original type, in its order (as {@code gantry quantize} needs). */
    public GgufWriter putAll(GgufMetadata source) {
        for (Map.Entry<String, Object> entry : source.asMap().entrySet()) {
            put(entry.getKey(), source.typeOf(entry.getKey()), entry.getValue());
        }
        return this;
    }

    /** Drops a key put earlier; dropping {@code general.alignment} restores the default alignment. */
    public GgufWriter remove(String key) {
        requireDeclaring();
        metadata.remove(key);
        if (key.equals("general.alignment")) {
            alignment = DEFAULT_ALIGNMENT;
        }
        return this;
    }

    /** Declares the next tensor: {@code shape} is ggml's {@code ne[]}, innermost (contiguous) dimension first. */
    public GgufWriter addTensor(String name, GgmlType type, long... shape) {
        requireDeclaring();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(path + ": tensor name must not be empty");
        }
        if (GgufEncoder.utf8Length(name) > MAX_TENSOR_NAME_BYTES) {
            throw new IllegalArgumentException(path + ": tensor name '" + name + "' is longer than " + MAX_TENSOR_NAME_BYTES + " bytes");
        }
        if (type == null) {
            throw new IllegalArgumentException(path + ": tensor '" + name + "' needs a type");
        }
        if (shape.length < 1 || shape.length > MAX_DIMS) {
            throw new IllegalArgumentException(path + ": tensor '" + name + "' has " + shape.length + " dimensions (1 to 4 allowed)");
        }
        long elements = 1;
        for (long d : shape) {
            if (d <= 0 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(path + ": tensor '" + name + "' has invalid dimension " + d);
            }
            try {
                elements = Math.multiplyExact(elements, d);
            } catch (ArithmeticException e) {
                elements = -1;
            }
            if (elements < 0 || elements / type.blockSize() > Long.MAX_VALUE / type.blockBytes()) {
                throw new IllegalArgumentException(path + ": tensor '" + name + "' is too large");
            }
        }
        if (shape[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException(path + ": tensor '" + name + "' row length " + shape[0]
                    + " is not a multiple of the " + type + " block size " + type.blockSize());
        }
        if (declared.putIfAbsent(name, new Declared(name, type, shape.clone())) != null) {
            throw new IllegalArgumentException(path + ": tensor '" + name + "' is declared twice");
        }
        return this;
    }

    /**
     * Writes the header (once; later calls return the same infos). Returns the tensor infos in declaration order,
     * with their offsets relative to the data region.
     */
    public List<GgufTensorInfo> writeHeader() {
        if (state != State.DECLARING) {
            requireOpen();
            return infos;
        }
        List<GgufTensorInfo> computed = new ArrayList<>(declared.size());
        long offset = 0;
        for (Declared d : declared.values()) {
            GgufTensorInfo info = new GgufTensorInfo(d.name(), d.shape(), d.type(), offset);
            computed.add(info);
            offset = Math.addExact(offset, alignUp(info.byteSize(), alignment));
        }
        GgufEncoder e = new GgufEncoder(path);
        e.u32(MAGIC);
        e.u32(version);
        e.u64(computed.size());
        e.u64(metadata.size());
        for (byte[] entry : metadata.values()) {
            e.bytes(entry);
        }
        for (GgufTensorInfo info : computed) {
            e.string(info.name(), "tensor name");
            long[] shape = info.shape();
            e.u32(shape.length);
            for (long d : shape) {
                e.u64(d);
            }
            e.u32(info.type().id());
            e.u64(info.offset());
        }
        byte[] header = e.toByteArray();
        guarded(() -> {
            writeFully(ByteBuffer.wrap(header));
            writeZeros(alignUp(header.length, alignment) - header.length);
        });
        infos = List.copyOf(computed);
        state = State.WRITING_DATA;
        return infos;
    }

    /**
     * Writes {@code data} as the next bytes of tensor {@code name}, which must be the tensor being written (the next
     * declared one, or the one a previous part started). A tensor may be written in any number of consecutive parts.
     */
    public void writeTensor(String name, MemorySegment data) {
        long size = data.byteSize();
        GgufTensorInfo info = beginPart(name, size);
        guarded(() -> {
            for (long off = 0; off < size; off += WRITE_SLICE) {
                writeSegment(data.asSlice(off, Math.min(WRITE_SLICE, size - off)));
            }
        });
        endPart(info, size);
    }

    public void writeTensor(String name, byte[] data) {
        writeTensor(name, MemorySegment.ofArray(data));
    }

    /** Writes {@code values} as little-endian F32 elements of an F32 tensor (whatever the platform's byte order). */
    public void writeTensor(String name, float[] values) {
        if (beginPart(name, 0).type() != GgmlType.F32) {
            throw new IllegalArgumentException(path + ": tensor '" + name + "' is " + infos.get(current).type() + ", not F32: write its bytes instead");
        }
        GgufTensorInfo info = beginPart(name, (long) values.length * Float.BYTES);
        guarded(() -> {
            ByteBuffer buffer = staging();
            MemorySegment stage = MemorySegment.ofBuffer(buffer.clear());
            int perChunk = buffer.capacity() / Float.BYTES;
            for (int from = 0; from < values.length; from += perChunk) {
                int n = Math.min(perChunk, values.length - from);
                MemorySegment.copy(values, from, stage, F32_LE, 0, n);
                writeFully(buffer.clear().limit(n * Float.BYTES));
            }
        });
        endPart(info, (long) values.length * Float.BYTES);
    }

    /** Infos with offsets, once the header is written; empty before. */
    public List<GgufTensorInfo> tensorInfos() {
        return infos;
    }

    /**
     * Publishes the file when every declared tensor is complete; otherwise deletes the partial file and, unless an
     * I/O failure was already thrown, throws an {@link IllegalStateException} naming the first incomplete tensor.
     */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        String incomplete = null;
        try {
            if (!failed && state == State.DECLARING) {
                writeHeader();
            }
            if (!failed && current < infos.size()) {
                GgufTensorInfo info = infos.get(current);
                incomplete = "tensor '" + info.name() + "' is incomplete (" + currentWritten + " of " + info.byteSize()
                        + " bytes written) and " + (infos.size() - current - 1) + " after it were never written";
            }
        } finally {
            state = State.CLOSED;
            finish(!failed && incomplete == null);
        }
        if (incomplete != null) {
            throw new IllegalStateException(path + ": closed before all tensors were written: " + incomplete);
        }
    }

    private void finish(boolean publish) {
        try {
            channel.close();
            if (publish) {
                try {
                    Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot " + (publish ? "publish " : "delete ") + partial + ": " + e.getMessage(), e);
        }
    }

    private GgufTensorInfo beginPart(String name, long size) {
        if (state == State.DECLARING) {
            writeHeader();
        }
        requireOpen();
        if (failed) {
            throw new IllegalStateException(path + ": an earlier write failed; the file is abandoned");
        }
        if (!declared.containsKey(name)) {
            throw new IllegalArgumentException(path + ": tensor '" + name + "' was not declared");
        }
        if (current >= infos.size()) {
            throw new IllegalStateException(path + ": tensor '" + name + "' is already written (every declared tensor is)");
        }
        GgufTensorInfo info = infos.get(current);
        if (!info.name().equals(name)) {
            String why = currentWritten > 0
                    ? "tensor '" + info.name() + "' is incomplete (" + currentWritten + " of " + info.byteSize() + " bytes written)"
                    : "tensors are written in declaration order and the next one is '" + info.name() + "'";
            throw new IllegalStateException(path + ": cannot write tensor '" + name + "': " + why);
        }
        long remaining = info.byteSize() - currentWritten;
        if (size > remaining) {
            throw new IllegalArgumentException(path + ": tensor '" + name + "' takes " + info.byteSize() + " bytes ("
                    + info.type() + " " + Arrays.toString(info.shape()) + "); " + currentWritten
                    + " are written, so " + size + " more would overrun it");
        }
        return info;
    }

    private void endPart(GgufTensorInfo info, long size) {
        currentWritten += size;
        if (currentWritten == info.byteSize()) {
            guarded(() -> writeZeros(alignUp(info.byteSize(), alignment) - info.byteSize()));
            current++;
            currentWritten = 0;
        }
    }

    private void writeSegment(MemorySegment part) throws IOException {
        boolean byteBacked = part.heapBase().map(base -> base instanceof byte[]).orElse(true);
        if (byteBacked) {
            try {
                writeFully(part.asByteBuffer());
                return;
            } catch (UnsupportedOperationException e) {
                // a read-only heap segment hides its base; it is staged below like any other non-byte heap segment
            }
        }
        // A heap segment over a non-byte array (e.g. float[]) has no ByteBuffer view: stage it.
        ByteBuffer buffer = staging();
        MemorySegment stage = MemorySegment.ofBuffer(buffer.clear());
        for (long off = 0; off < part.byteSize(); off += buffer.capacity()) {
            int n = (int) Math.min(buffer.capacity(), part.byteSize() - off);
            MemorySegment.copy(part, off, stage, 0, n);
            writeFully(buffer.clear().limit(n));
        }
    }

    private void writeZeros(long n) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(n, 1 << 16));
        for (long left = n; left > 0; left -= zeros.capacity()) {
            writeFully(zeros.clear().limit((int) Math.min(left, zeros.capacity())));
        }
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private ByteBuffer staging() {
        if (staging == null) {
            staging = ByteBuffer.allocateDirect(1 << 20);
        }
        return staging;
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private void guarded(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException(path + ": write failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private long checkAlignment(long value) {
        if (value <= 0 || value > MAX_ALIGNMENT || Long.bitCount(value) != 1) {
            throw new IllegalArgumentException(path + ": general.alignment must be a power of two up to 2^31, got " + value);
        }
        return value;
    }

    private void requireDeclaring() {
        requireOpen();
        if (state != State.DECLARING) {
            throw new IllegalStateException(path + ": metadata and tensors must be declared before the header is written");
        }
    }

    private void requireOpen() {
        if (state == State.CLOSED) {
            throw new IllegalStateException(path + ": writer is closed");
        }
    }

    private static long alignUp(long v, long alignment) {
        return Math.addExact(v, alignment - 1) & -alignment;
    }
}
