package dev.gantry.engine.gguf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A growable little-endian byte buffer that encodes GGUF header values (GGUF spec: strings are a uint64 byte length
 * and UTF-8 bytes; an array is its element type as uint32, its length as uint64 and its elements). Values are
 * validated as they are encoded, so a bad value fails when it is put, naming the key.
 */
final class GgufEncoder {

    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buf = new byte[256];
    private int size;

    GgufEncoder(Path file) {
        this.file = file;
    }

    static boolean isInteger(GgufValueType type) {
        return switch (type) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    void u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void u16(int v) {
        ensure(2);
        U16.set(buf, size, (short) v);
        size += 2;
    }

    void u32(int v) {
        ensure(4);
        U32.set(buf, size, v);
        size += 4;
    }

    void u64(long v) {
        ensure(8);
        U64.set(buf, size, v);
        size += 8;
    }

    void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /** {@code what} names the string in the error when it is not valid Unicode (an unpaired surrogate). */
    void string(String s, String what) {
        ByteBuffer encoded;
        try {
            encoded = utf8.reset().encode(CharBuffer.wrap(s));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": " + what + " '" + s + "' is not valid Unicode (unpaired surrogate)");
        }
        int n = encoded.remaining();
        u64(n);
        ensure(n);
        encoded.get(buf, size, n);
        size += n;
    }

    /** Encodes one value of {@code type}; {@code where} names it in errors ("metadata key 'x'"). */
    void value(String where, GgufValueType type, Object v, int depth) {
        switch (type) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> integer(where, type, integral(where, type, v), -1);
            case FLOAT32 -> u32(Float.floatToRawIntBits(number(where, type, v).floatValue()));
            case FLOAT64 -> u64(Double.doubleToRawLongBits(number(where, type, v).doubleValue()));
            case BOOL -> u8(cast(where, type, v, Boolean.class) ? 1 : 0);
            case STRING -> string(cast(where, type, v, String.class), where + " value");
            case ARRAY -> array(where, cast(where, type, v, GgufArray.class), depth + 1);
        }
    }

    private void array(String where, GgufArray a, int depth) {
        if (depth > GgufFile.MAX_NESTING) {
            throw new IllegalArgumentException(file + ": " + where + " nests arrays deeper than " + GgufFile.MAX_NESTING);
        }
        GgufValueType t = a.elementType();
        if (t == null || a.values() == null) {
            throw new IllegalArgumentException(file + ": " + where + " is an array without an element type or values");
        }
        u32(t.ordinal());
        switch (a.values()) {
            case long[] values when isInteger(t) -> {
                u64(values.length);
                for (int i = 0; i < values.length; i++) {
                    integer(where, t, values[i], i);
                }
            }
            case float[] values when t == GgufValueType.FLOAT32 -> {
                u64(values.length);
                for (float f : values) {
                    u32(Float.floatToRawIntBits(f));
                }
            }
            case double[] values when t == GgufValueType.FLOAT64 -> {
                u64(values.length);
                for (double d : values) {
                    u64(Double.doubleToRawLongBits(d));
                }
            }
            case boolean[] values when t == GgufValueType.BOOL -> {
                u64(values.length);
                for (boolean b : values) {
                    u8(b ? 1 : 0);
                }
            }
            case String[] values when t == GgufValueType.STRING -> {
                u64(values.length);
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == null) {
                        throw new IllegalArgumentException(file + ": " + where + "[" + i + "] is null");
                    }
                    string(values[i], where + "[" + i + "]");
                }
            }
            case GgufArray[] values when t == GgufValueType.ARRAY -> {
                u64(values.length);
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == null) {
                        throw new IllegalArgumentException(file + ": " + where + "[" + i + "] is null");
                    }
                    array(where + "[" + i + "]", values[i], depth + 1);
                }
            }
            default -> throw new IllegalArgumentException(file + ": " + where + " is a " + t + " array, which needs "
                    + javaTypeOf(t) + " values, not " + a.values().getClass().getSimpleName());
        }
    }

    private void integer(String where, GgufValueType type, long v, int index) {
        boolean inRange = switch (type) {
            case UINT8 -> v >= 0 && v <= 0xFF;
            case INT8 -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
            case UINT16 -> v >= 0 && v <= 0xFFFF;
            case INT16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
            case UINT32 -> v >= 0 && v <= 0xFFFF_FFFFL;
            case INT32 -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
            default -> true;
        };
        if (!inRange) {
            throw new IllegalArgumentException(file + ": " + where + (index >= 0 ? "[" + index + "]" : "")
                    + " = " + v + " does not fit " + type);
        }
        switch (type) {
            case UINT8, INT8 -> u8((int) v);
            case UINT16, INT16 -> u16((int) v);
            case UINT32, INT32 -> u32((int) v);
            default -> u64(v);
        }
    }

    private long integral(String where, GgufValueType type, Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        throw mismatch(where, type, v);
    }

    private Number number(String where, GgufValueType type, Object v) {
        if (v instanceof Number n) {
            return n;
        }
        throw mismatch(where, type, v);
    }

    private <T> T cast(String where, GgufValueType type, Object v, Class<T> javaType) {
        if (javaType.isInstance(v)) {
            return javaType.cast(v);
        }
        throw mismatch(where, type, v);
    }

    private IllegalArgumentException mismatch(String where, GgufValueType type, Object v) {
        return new IllegalArgumentException(file + ": " + where + " is declared " + type + " but its value is a "
                + v.getClass().getSimpleName());
    }

    private static String javaTypeOf(GgufValueType t) {
        return switch (t) {
            case FLOAT32 -> "float[]";
            case FLOAT64 -> "double[]";
            case BOOL -> "boolean[]";
            case STRING -> "String[]";
            case ARRAY -> "GgufArray[]";
            default -> "long[]";
        };
    }

    private void ensure(int n) {
        if (size + n > buf.length || size + n < 0) {
            long want = Math.max((long) buf.length * 2, (long) size + n);
            if (want > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(file + ": the GGUF header would exceed 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }
}
