package dev.gantry.engine.tokenizer;

import dev.gantry.engine.gguf.GgufFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a GGUF v3 file with metadata only (no tensors), so tests can build vocabularies the shared files do
 * not have. Values: String, Integer (INT32), Long (UINT32), Boolean, String[], int[] (INT32 array), float[].
 */
final class GgufVocabularyWriter {

    private final Map<String, Object> values = new LinkedHashMap<>();

    GgufVocabularyWriter put(String key, Object value) {
        values.put(key, value);
        return this;
    }

    /** Writes the file into {@code dir} and opens it as a tokenizer. */
    Tokenizer tokenizer(Path dir) {
        Path file = write(dir.resolve("vocab-" + System.nanoTime() + ".gguf"));
        try (GgufFile gguf = GgufFile.open(file)) {
            return Tokenizer.from(gguf.metadata());
        }
    }

    Path write(Path file) {
        Buffer out = new Buffer();
        out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        out.u32(3);
        out.u64(0);
        out.u64(values.size());
        for (Map.Entry<String, Object> e : values.entrySet()) {
            out.string(e.getKey());
            switch (e.getValue()) {
                case String s -> { out.u32(8); out.string(s); }
                case Integer i -> { out.u32(5); out.u32(i); }
                case Long l -> { out.u32(4); out.u32(l.intValue()); }
                case Boolean b -> { out.u32(7); out.bytes(new byte[] {(byte) (b ? 1 : 0)}); }
                case String[] a -> { out.u32(9); out.u32(8); out.u64(a.length); for (String s : a) out.string(s); }
                case int[] a -> { out.u32(9); out.u32(5); out.u64(a.length); for (int v : a) out.u32(v); }
                case float[] a -> { out.u32(9); out.u32(6); out.u64(a.length); for (float v : a) out.u32(Float.floatToIntBits(v)); }
                case List<?> l -> throw new IllegalArgumentException("use arrays, not lists: " + e.getKey());
                default -> throw new IllegalArgumentException("unsupported value for " + e.getKey());
            }
        }
        while (out.size() % 32 != 0) {
            out.bytes(new byte[1]);
        }
        try {
            Files.write(file, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static final class Buffer extends ByteArrayOutputStream {
        void u32(int v) {
            bytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        void u64(long v) {
            bytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }
    }
}
