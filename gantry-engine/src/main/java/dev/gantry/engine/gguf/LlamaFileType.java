package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;
import java.util.Optional;

/**
 * llama.cpp's {@code enum llama_ftype} (llama.h): what {@code general.file_type} says about a whole file, with the
 * name {@code llama_model_ftype_name} prints for it (the last word of llama-bench's {@code model_type}). Files whose
 * matrices all have one type map to that type's ftype; the K-quant mixes are listed for naming files llama.cpp
 * wrote, with the type of most of their matrices.
 */
public enum LlamaFileType {
    ALL_F32(0, GgmlType.F32, "all F32"),
    MOSTLY_F16(1, GgmlType.F16, "F16"),
    MOSTLY_Q4_0(2, GgmlType.Q4_0, "Q4_0"),
    MOSTLY_Q4_1(3, GgmlType.Q4_1, "Q4_1"),
    MOSTLY_Q8_0(7, GgmlType.Q8_0, "Q8_0"),
    MOSTLY_Q5_0(8, GgmlType.Q5_0, "Q5_0"),
    MOSTLY_Q5_1(9, GgmlType.Q5_1, "Q5_1"),
    MOSTLY_Q2_K(10, GgmlType.Q2_K, "Q2_K - Medium"),
    MOSTLY_Q3_K_S(11, GgmlType.Q3_K, "Q3_K - Small"),
    MOSTLY_Q3_K_M(12, GgmlType.Q3_K, "Q3_K - Medium"),
    MOSTLY_Q3_K_L(13, GgmlType.Q3_K, "Q3_K - Large"),
    MOSTLY_Q4_K_S(14, GgmlType.Q4_K, "Q4_K - Small"),
    MOSTLY_Q4_K_M(15, GgmlType.Q4_K, "Q4_K - Medium"),
    MOSTLY_Q5_K_S(16, GgmlType.Q5_K, "Q5_K - Small"),
    MOSTLY_Q5_K_M(17, GgmlType.Q5_K, "Q5_K - Medium"),
    MOSTLY_Q6_K(18, GgmlType.Q6_K, "Q6_K"),
    MOSTLY_IQ4_NL(25, GgmlType.IQ4_NL, "IQ4_NL - 4.5 bpw"),
    MOSTLY_IQ4_XS(30, GgmlType.IQ4_XS, "IQ4_XS - 4.25 bpw"),
    MOSTLY_BF16(32, GgmlType.BF16, "BF16");

    private final int id;
    private final GgmlType type;
    private final String displayName;

    LlamaFileType(int id, GgmlType type, String displayName) {
        this.id = id;
        this.type = type;
        this.displayName = displayName;
    }

    /** The {@code general.file_type} number. */
    public int id() {
        return id;
    }

    /** The type of (most of) the file's matrices. */
    public GgmlType type() {
        return type;
    }

    /** As llama.cpp's {@code llama_model_ftype_name}. */
    public String displayName() {
        return displayName;
    }

    public static Optional<LlamaFileType> byId(long id) {
        for (LlamaFileType t : values()) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The ftype of a file whose matrices are all {@code type}, as llama.cpp's loader guesses it when a file has no
     * {@code general.file_type} (a K-quant stands for its "medium" mix).
     */
    public static Optional<LlamaFileType> forType(GgmlType type) {
        return switch (type) {
            case Q3_K -> Optional.of(MOSTLY_Q3_K_M);
            case Q4_K -> Optional.of(MOSTLY_Q4_K_M);
            case Q5_K -> Optional.of(MOSTLY_Q5_K_M);
            default -> {
                for (LlamaFileType t : values()) {
                    if (t.type == type) {
                        yield Optional.of(t);
                    }
                }
                yield Optional.empty();
            }
        };
    }
}
