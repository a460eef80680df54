package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GGUF file (versions 2 and 3), mapped into memory once with FFM; tensors are slices of that mapping, so
 * weights are never copied.
 *
 * <p>Layout (GGUF spec, ggml/docs/gguf.md): magic "GGUF", uint32 version, uint64 tensor count, uint64 metadata
 * count, the metadata key-value pairs, the tensor infos (name, uint32 n_dims, uint64 ne[n_dims], uint32 type,
 * uint64 offset), padding to {@code general.alignment} (default 32), then the data region. All values are
 * little-endian; strings are a uint64 byte length followed by UTF-8 bytes.
 */
public final class GgufFile implements AutoCloseable {

    private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
    private static final int MAX_DIMS = 4;
    /** Deepest metadata array nesting accepted (an array of arrays is depth 2); the writer honours it too. */
    static final int MAX_NESTING = 8;
    /** Java arrays are int-indexed; a few slots below Integer.MAX_VALUE is what the VM can allocate. */
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    private static final long MAX_STRING_BYTES = Integer.MAX_VALUE - 8;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final int version;
    private final GgufMetadata metadata;
    private final Map<String, GgufTensorInfo> tensors;
    private final long alignment;
    private final long dataOffset;

    private GgufFile(Path path, Arena arena, MemorySegment file, int version, GgufMetadata metadata,
                     Map<String, GgufTensorInfo> tensors, long alignment, long dataOffset) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
        this.alignment = alignment;
        this.dataOffset = dataOffset;
    }

    /** Opens and maps a GGUF file; every problem is a {@link GgufException} naming the file. */
    public static GgufFile open(Path path) {
        if (!Files.exists(path)) {
            throw new GgufException(path, "no such file");
        }
        if (Files.isDirectory(path)) {
            throw new GgufException(path, "is a directory, not a GGUF file");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return parse(path, arena, segment);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new GgufException(path, "no such file");
        } catch (IOException e) {
            arena.close();
            throw new GgufException(path, "cannot read (" + e.getClass().getSimpleName() + "): " + e.getMessage());
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Parses GGUF bytes already in memory; {@code path} only names them in messages. For tests that feed thousands
     * of mutated headers without writing files.
     */
    static GgufFile parse(Path path, MemorySegment bytes) {
        Arena arena = Arena.ofShared();
        try {
            return parse(path, arena, bytes);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static GgufFile parse(Path path, Arena arena, MemorySegment segment) {
        Reader r = new Reader(path, segment);
        if (segment.byteSize() == 0) {
            throw new GgufException(path, "empty file (0 bytes), not a GGUF file");
        }
        if (segment.byteSize() < 4 && isPrefixOfMagic(segment)) {
            throw new GgufException(path, "truncated: the file is only " + segment.byteSize() + (segment.byteSize() == 1 ? " byte" : " bytes") + ", shorter than the GGUF header");
        }
        if (segment.byteSize() < 4 || r.u32() != MAGIC) {
            throw new GgufException(path, "not a GGUF file: it starts with " + describeStart(segment) + ", not \"GGUF\"");
        }
        int version = r.u32();
        if (version == 1) {
            throw new GgufException(path, "GGUF version 1 is not supported (re-convert the model with a current llama.cpp)");
        }
        if (version != 2 && version != 3) {
            if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
                throw new GgufException(path, "big-endian GGUF files are not supported");
            }
            throw new GgufException(path, "unsupported GGUF version " + Integer.toUnsignedString(version));
        }
        long tensorCount = r.u64();
        long kvCount = r.u64();
        // Counts are not checked against the file size here: each entry read consumes bytes, so a count that is too
        // large ends in a "truncated" error naming the entry where the bytes ran out.
        if (tensorCount < 0) {
            throw new GgufException(path, "invalid tensor count " + Long.toUnsignedString(tensorCount));
        }
        if (kvCount < 0) {
            throw new GgufException(path, "invalid metadata count " + Long.toUnsignedString(kvCount));
        }

        LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        LinkedHashMap<String, GgufValueType> types = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            r.at("metadata entry " + i + " of " + kvCount, null);
            String key = r.string();
            r.at("metadata entry " + i + " of " + kvCount, key);
            GgufValueType type = r.valueType();
            if (values.containsKey(key)) {
                throw new GgufException(path, "duplicate metadata key '" + key + "'");
            }
            values.put(key, r.value(type, 0));
            types.put(key, type);
        }
        GgufMetadata metadata = new GgufMetadata(path, values, types);

        long alignment = metadata.integer("general.alignment", 32);
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new GgufException(path, "general.alignment must be a power of two, got " + alignment);
        }

        LinkedHashMap<String, GgufTensorInfo> tensors = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            r.at("tensor info " + i + " of " + tensorCount, null);
            String name = r.string();
            r.at("tensor info " + i + " of " + tensorCount, name);
            int nDims = r.u32();
            if (nDims < 1 || nDims > MAX_DIMS) {
                throw new GgufException(path, "tensor '" + name + "' has " + Integer.toUnsignedString(nDims) + " dimensions (1 to 4 allowed)");
            }
            long[] shape = new long[nDims];
            for (int d = 0; d < nDims; d++) {
                shape[d] = r.u64();
                if (shape[d] <= 0 || shape[d] > Integer.MAX_VALUE) {
                    throw new GgufException(path, "tensor '" + name + "' has invalid dimension " + Long.toUnsignedString(shape[d]));
                }
            }
            int typeId = r.u32();
            GgmlType type = GgmlType.byId(Integer.toUnsignedLong(typeId));
            if (type == null) {
                throw new GgufException(path, "tensor '" + name + "' has unknown weight type id " + Integer.toUnsignedString(typeId));
            }
            long offset = r.u64();
            if (shape[0] % type.blockSize() != 0) {
                throw new GgufException(path, "tensor '" + name + "' row length " + shape[0] + " is not a multiple of the " + type + " block size " + type.blockSize());
            }
            GgufTensorInfo info = new GgufTensorInfo(name, shape, type, offset);
            long elements;
            try {
                elements = info.elementCount();
            } catch (ArithmeticException e) {
                elements = -1;
            }
            // byteSize() is elements / blockSize * blockBytes, unchecked: refuse what would overflow it.
            if (elements < 0 || elements / type.blockSize() > Long.MAX_VALUE / type.blockBytes()) {
                throw new GgufException(path, "tensor '" + name + "' is too large: " + info);
            }
            if (offset < 0 || offset % alignment != 0) {
                throw new GgufException(path, "tensor '" + name + "' has misaligned offset " + Long.toUnsignedString(offset));
            }
            if (tensors.put(name, info) != null) {
                throw new GgufException(path, "duplicate tensor '" + name + "'");
            }
        }

        long dataOffset = alignUp(r.position(), alignment);
        long dataSize = segment.byteSize() - dataOffset;
        for (GgufTensorInfo info : tensors.values()) {
            if (dataSize < 0 || info.offset() > dataSize || info.byteSize() > dataSize - info.offset()) {
                throw new GgufException(path, "truncated: tensor '" + info.name() + "' needs bytes " + (dataOffset + info.offset())
                        + " to " + (dataOffset + info.offset() + info.byteSize()) + " but the file is " + segment.byteSize() + " bytes");
            }
        }
        return new GgufFile(path, arena, segment, version, metadata, Collections.unmodifiableMap(tensors), alignment, dataOffset);
    }

    private static long alignUp(long v, long alignment) {
        return (v + alignment - 1) & -alignment;
    }

    private static boolean isPrefixOfMagic(MemorySegment segment) {
        for (int i = 0; i < segment.byteSize(); i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, i) != "GGUF".charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The first bytes of a file that is not GGUF, printable, so that "it is a text file" is obvious. */
    private static String describeStart(MemorySegment segment) {
        int n = (int) Math.min(4, segment.byteSize());
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < n; i++) {
            int b = Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, i));
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        return sb.append('"').toString();
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    public long alignment() {
        return alignment;
    }

    /** Byte offset of the data region within the file. */
    public long dataOffset() {
        return dataOffset;
    }

    /** Tensor infos in file order. */
    public Map<String, GgufTensorInfo> tensorInfos() {
        return tensors;
    }

    public boolean hasTensor(String name) {
        return tensors.containsKey(name);
    }

    /** A view of the named tensor's bytes; fails naming the file when the tensor is missing. */
    public Tensor tensor(String name) {
        GgufTensorInfo info = tensors.get(name);
        if (info == null) {
            throw new GgufException(path, "missing tensor '" + name + "'");
        }
        MemorySegment data = file.asSlice(dataOffset + info.offset(), info.byteSize());
        return new Tensor(name, info.type(), info.shape(), data);
    }

    @Override
    public void close() {
        arena.close();
    }

    /** A bounds-checked little-endian cursor over the header. */
    private static final class Reader {
        private final Path path;
        private final MemorySegment s;
        private long pos;
        private String item = "the file header";
        private String itemName;

        Reader(Path path, MemorySegment s) {
            this.path = path;
            this.s = s;
        }

        long position() {
            return pos;
        }

        /** Names what is being read, for messages. */
        void at(String item, String name) {
            this.item = item;
            this.itemName = name;
        }

        private String where() {
            return item + (itemName == null ? "" : " '" + itemName + "'");
        }

        private void need(long n) {
            if (n < 0 || pos + n > s.byteSize() || pos + n < 0) {
                throw new GgufException(path, "truncated: the file ends at byte " + s.byteSize() + " but " + where()
                        + " needs " + n + " bytes at byte " + pos);
            }
        }

        byte u8() {
            need(1);
            return s.get(ValueLayout.JAVA_BYTE, pos++);
        }

        short u16() {
            need(2);
            short v = s.get(U16, pos);
            pos += 2;
            return v;
        }

        int u32() {
            need(4);
            int v = s.get(U32, pos);
            pos += 4;
            return v;
        }

        long u64() {
            need(8);
            long v = s.get(U64, pos);
            pos += 8;
            return v;
        }

        float f32() {
            need(4);
            float v = s.get(F32, pos);
            pos += 4;
            return v;
        }

        double f64() {
            need(8);
            double v = s.get(F64, pos);
            pos += 8;
            return v;
        }

        String string() {
            long len = u64();
            if (len < 0 || len > s.byteSize() - pos || len > MAX_STRING_BYTES) {
                throw new GgufException(path, "truncated or corrupt: " + where() + " has a string of " + Long.toUnsignedString(len)
                        + " bytes at byte " + (pos - 8) + " (" + (s.byteSize() - pos) + " bytes left in the file)");
            }
            byte[] bytes = s.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
            pos += len;
            // Some vocabularies hold pieces that are not valid UTF-8: decoding replaces bad sequences with U+FFFD
            // rather than failing the model (a strict decode would agree on every valid string anyway).
            return new String(bytes, StandardCharsets.UTF_8);
        }

        GgufValueType valueType() {
            int id = u32();
            GgufValueType t = GgufValueType.byId(id);
            if (t == null) {
                throw new GgufException(path, where() + " has unknown value type " + Integer.toUnsignedString(id) + " at byte " + (pos - 4));
            }
            return t;
        }

        Object value(GgufValueType type, int depth) {
            return switch (type) {
                case UINT8 -> (long) Byte.toUnsignedInt(u8());
                case INT8 -> (long) u8();
                case UINT16 -> (long) Short.toUnsignedInt(u16());
                case INT16 -> (long) u16();
                case UINT32 -> Integer.toUnsignedLong(u32());
                case INT32 -> (long) u32();
                case UINT64, INT64 -> u64();
                case FLOAT32 -> (double) f32();
                case FLOAT64 -> f64();
                case BOOL -> bool();
                case STRING -> string();
                case ARRAY -> array(depth + 1);
            };
        }

        private boolean bool() {
            byte b = u8();
            if (b != 0 && b != 1) {
                throw new GgufException(path, where() + " has invalid boolean value " + b + " at byte " + (pos - 1));
            }
            return b == 1;
        }

        private GgufArray array(int depth) {
            if (depth > MAX_NESTING) {
                throw new GgufException(path, where() + " nests arrays deeper than " + MAX_NESTING);
            }
            GgufValueType elementType = valueType();
            long n = u64();
            // Each element takes at least minBytes, so a count the remaining bytes cannot hold is corrupt; checking it
            // before allocating keeps a corrupt count from becoming an OutOfMemoryError.
            long minBytes = minEncodedBytes(elementType);
            if (n < 0 || n > (s.byteSize() - pos) / minBytes || n > MAX_ARRAY_LENGTH) {
                throw new GgufException(path, "truncated or corrupt: " + where() + " has an array of " + Long.toUnsignedString(n) + " "
                        + elementType + " elements at byte " + (pos - 8) + " (" + (s.byteSize() - pos) + " bytes left in the file)");
            }
            int count = (int) n;
            Object values = switch (elementType) {
                case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> {
                    long[] a = new long[count];
                    for (int i = 0; i < count; i++) {
                        a[i] = (Long) value(elementType, depth);
                    }
                    yield a;
                }
                case FLOAT32 -> {
                    float[] a = new float[count];
                    for (int i = 0; i < count; i++) {
                        a[i] = f32();
                    }
                    yield a;
                }
                case FLOAT64 -> {
                    double[] a = new double[count];
                    for (int i = 0; i < count; i++) {
                        a[i] = f64();
                    }
                    yield a;
                }
                case BOOL -> {
                    boolean[] a = new boolean[count];
                    for (int i = 0; i < count; i++) {
                        a[i] = bool();
                    }
                    yield a;
                }
                case STRING -> {
                    String[] a = new String[count];
                    for (int i = 0; i < count; i++) {
                        a[i] = string();
                    }
                    yield a;
                }
                case ARRAY -> {
                    GgufArray[] a = new GgufArray[count];
                    for (int i = 0; i < count; i++) {
                        a[i] = array(depth + 1);
                    }
                    yield a;
                }
            };
            return new GgufArray(elementType, values);
        }

        private static long minEncodedBytes(GgufValueType type) {
            return switch (type) {
                case UINT8, INT8, BOOL -> 1;
                case UINT16, INT16 -> 2;
                case UINT32, INT32, FLOAT32 -> 4;
                case UINT64, INT64, FLOAT64, STRING -> 8; // a string is at least its uint64 length
                case ARRAY -> 12; // element type uint32 + length uint64
            };
        }
    }
}
