package dev.gantry.engine.gguf;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The key-value metadata of a GGUF file, in file order. Scalars are stored as {@code Long} (every integer
 * type), {@code Double} (both float types), {@code Boolean} or {@code String}; arrays as {@link GgufArray}.
 * Typed getters fail with a {@link GgufException} that names the file and the key.
 */
public final class GgufMetadata {

    private final Path file;
    private final Map<String, Object> values;
    private final Map<String, GgufValueType> types;

    GgufMetadata(Path file, LinkedHashMap<String, Object> values, LinkedHashMap<String, GgufValueType> types) {
        this.file = file;
        this.values = Collections.unmodifiableMap(values);
        this.types = Collections.unmodifiableMap(types);
    }

    /** All entries in file order. */
    public Map<String, Object> asMap() {
        return values;
    }

    public GgufValueType typeOf(String key) {
        return types.get(key);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Object get(String key) {
        return values.get(key);
    }

    public String string(String key) {
        return require(key, String.class, "a string");
    }

    public Optional<String> optionalString(String key) {
        return optional(key, String.class, "a string");
    }

    public long integer(String key) {
        return require(key, Long.class, "an integer");
    }

    public long integer(String key, long fallback) {
        return optional(key, Long.class, "an integer").orElse(fallback);
    }

    public int int32(String key) {
        return toInt(key, integer(key));
    }

    public int int32(String key, int fallback) {
        return has(key) ? toInt(key, integer(key)) : fallback;
    }

    public double number(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw missing(key);
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw wrongType(key, "a number");
    }

    public double number(String key, double fallback) {
        return has(key) ? number(key) : fallback;
    }

    public boolean bool(String key) {
        return require(key, Boolean.class, "a boolean");
    }

    public boolean bool(String key, boolean fallback) {
        return optional(key, Boolean.class, "a boolean").orElse(fallback);
    }

    public GgufArray array(String key) {
        return require(key, GgufArray.class, "an array");
    }

    public Optional<GgufArray> optionalArray(String key) {
        return optional(key, GgufArray.class, "an array");
    }

    public String[] strings(String key) {
        GgufArray a = array(key);
        if (a.values() instanceof String[] s) {
            return s;
        }
        throw wrongType(key, "an array of strings");
    }

    public float[] floats(String key) {
        GgufArray a = array(key);
        return switch (a.values()) {
            case float[] f -> f;
            case double[] d -> {
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    f[i] = (float) d[i];
                }
                yield f;
            }
            case long[] l -> {
                float[] f = new float[l.length];
                for (int i = 0; i < l.length; i++) {
                    f[i] = l[i];
                }
                yield f;
            }
            default -> throw wrongType(key, "an array of numbers");
        };
    }

    public int[] ints(String key) {
        GgufArray a = array(key);
        if (a.values() instanceof long[] l) {
            int[] out = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                out[i] = toInt(key, l[i]);
            }
            return out;
        }
        if (a.values() instanceof boolean[] b) {
            int[] out = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                out[i] = b[i] ? 1 : 0;
            }
            return out;
        }
        throw wrongType(key, "an array of integers");
    }

    private <T> T require(String key, Class<T> type, String what) {
        return optional(key, type, what).orElseThrow(() -> missing(key));
    }

    private <T> Optional<T> optional(String key, Class<T> type, String what) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!type.isInstance(v)) {
            throw wrongType(key, what);
        }
        return Optional.of(type.cast(v));
    }

    private int toInt(String key, long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new GgufException(file, "metadata key '" + key + "' is out of range: " + v);
        }
        return (int) v;
    }

    private GgufException missing(String key) {
        return new GgufException(file, "missing metadata key '" + key + "'");
    }

    private GgufException wrongType(String key, String what) {
        String actual = values.get(key) instanceof GgufArray a ? "an ARRAY of " + a.elementType() : String.valueOf(types.get(key));
        return new GgufException(file, "metadata key '" + key + "' should be " + what + " but is " + actual);
    }
}
