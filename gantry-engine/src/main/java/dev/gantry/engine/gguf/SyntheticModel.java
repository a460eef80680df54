package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a random-weight Llama of a {@link SyntheticShape} as GGUF, for benchmarks: the file loads in Gantry and in
 * llama.cpp's tools alike (llama's tensor names and metadata keys, a {@link SyntheticVocabulary}), and costs what a
 * trained model of that shape costs to run.
 *
 * <p>Weights are seeded, so a shape, type and seed always give the same bytes. Each matrix element is
 * approximately N(0, 0.02) (the initialisation scale of GPT-2 and Llama), so activations stay finite through every
 * layer; norm weights are 1. A row's values come from its own {@link SplittableRandom}, seeded by a mix of the
 * model seed, the tensor and the row, so rows can be generated in parallel and in any order. Each value is the sum
 * of the four 16-bit quarters of one random long, centred and scaled (Irwin-Hall with n = 4, matched in variance):
 * close enough to normal for weights, bounded at 3.5 sigma, and five times cheaper than
 * {@link SplittableRandom#nextGaussian()} on the 1.1 billion values of the 1B shape.
 *
 * <p>Written through {@link GgufWriter} a chunk of rows at a time: the 2.2 GB F16 model never sits in memory.
 */
public final class SyntheticModel {

    public static final float WEIGHT_STD = 0.02f;
    public static final long DEFAULT_SEED = 42;
    /** Standard deviation of a sum of four uniform integers in [0, 65535]. */
    private static final double SUM4_STD = Math.sqrt(4 * (65536.0 * 65536.0 - 1) / 12);
    private static final int SUM4_MEAN = 2 * 65535;

    private record Matrix(String name, int cols, int rows) {
    }

    private SyntheticModel() {
    }

    /** Writes the model to {@code path} with its matrices in {@code type}, encoding on {@code threads} threads. */
    public static void write(Path path, SyntheticShape shape, GgmlType type, long seed, int threads) {
        LlamaFileType fileType = LlamaFileType.forType(type)
                .orElseThrow(() -> new IllegalArgumentException("llama.cpp has no file type for " + type));
        for (int d : new int[] {shape.dim(), shape.ffnDim()}) {
            if (d % type.blockSize() != 0) {
                throw new IllegalArgumentException("synthetic model '" + shape.name() + "': rows of " + d
                        + " are not a multiple of the " + type + " block size " + type.blockSize());
            }
        }
        if (!QuantizedModelWriter.targetTypes().contains(type)) {
            throw new IllegalArgumentException("cannot write " + type + ": it has no encoder");
        }
        SyntheticVocabulary vocab = SyntheticVocabulary.of(shape.vocabSize());
        try (RowEncoder encoder = new RowEncoder(threads); GgufWriter w = GgufWriter.create(path)) {
            metadata(w, shape, fileType, seed, vocab);
            w.addTensor("token_embd.weight", type, shape.dim(), shape.vocabSize());
            for (int l = 0; l < shape.layers(); l++) {
                w.addTensor("blk." + l + ".attn_norm.weight", GgmlType.F32, shape.dim());
                for (Matrix m : layerMatrices(shape, l)) {
                    w.addTensor(m.name(), type, m.cols(), m.rows());
                }
                w.addTensor("blk." + l + ".ffn_norm.weight", GgmlType.F32, shape.dim());
            }
            w.addTensor("output_norm.weight", GgmlType.F32, shape.dim());
            w.addTensor("output.weight", type, shape.dim(), shape.vocabSize());
            w.writeHeader();
            long tensor = 0;
            for (GgufTensorInfo info : w.tensorInfos()) {
                long[] s = info.shape();
                if (s.length == 1) {
                    encoder.write(w, info.name(), GgmlType.F32, (int) s[0], 1, (row, dst) -> Arrays.fill(dst, 1.0f));
                    continue;
                }
                long tensorSeed = mix(seed ^ mix(++tensor));
                encoder.write(w, info.name(), type, (int) s[0], s[1], (row, dst) -> fillRow(tensorSeed, row, dst));
            }
        }
    }

    /** A layer's matrices in llama.cpp's names, with their (cols = input, rows = output) shapes. */
    private static List<Matrix> layerMatrices(SyntheticShape s, int layer) {
        String p = "blk." + layer + ".";
        return List.of(
                new Matrix(p + "attn_q.weight", s.dim(), s.dim()),
                new Matrix(p + "attn_k.weight", s.dim(), s.kvDim()),
                new Matrix(p + "attn_v.weight", s.dim(), s.kvDim()),
                new Matrix(p + "attn_output.weight", s.dim(), s.dim()),
                new Matrix(p + "ffn_gate.weight", s.dim(), s.ffnDim()),
                new Matrix(p + "ffn_up.weight", s.dim(), s.ffnDim()),
                new Matrix(p + "ffn_down.weight", s.ffnDim(), s.dim()));
    }

    private static void metadata(GgufWriter w, SyntheticShape s, LlamaFileType fileType, long seed, SyntheticVocabulary v) {
        w.putString("general.architecture", "llama");
        w.putString("general.name", "gantry-synthetic-" + s.name());
        w.putString("general.description", "random weights (seed " + seed + ", N(0, " + WEIGHT_STD + ")), written by gantry for benchmarks");
        w.putUint32("general.file_type", fileType.id());
        w.putUint32("general.quantization_version", QuantizedModelWriter.QUANTIZATION_VERSION);
        w.putUint32("llama.context_length", s.contextLength());
        w.putUint32("llama.embedding_length", s.dim());
        w.putUint32("llama.block_count", s.layers());
        w.putUint32("llama.feed_forward_length", s.ffnDim());
        w.putUint32("llama.rope.dimension_count", s.headDim());
        w.putUint32("llama.attention.head_count", s.heads());
        w.putUint32("llama.attention.head_count_kv", s.kvHeads());
        w.putFloat32("llama.attention.layer_norm_rms_epsilon", s.normEps());
        w.putFloat32("llama.rope.freq_base", s.ropeBase());
        w.putUint32("llama.vocab_size", s.vocabSize());
        w.putString("tokenizer.ggml.model", "llama");
        w.putStrings("tokenizer.ggml.tokens", v.tokens());
        w.putFloat32s("tokenizer.ggml.scores", v.scores());
        w.putInt32s("tokenizer.ggml.token_type", v.types());
        w.putUint32("tokenizer.ggml.unknown_token_id", SyntheticVocabulary.UNK);
        w.putUint32("tokenizer.ggml.bos_token_id", SyntheticVocabulary.BOS);
        w.putUint32("tokenizer.ggml.eos_token_id", SyntheticVocabulary.EOS);
        w.putBool("tokenizer.ggml.add_bos_token", true);
        w.putBool("tokenizer.ggml.add_eos_token", false);
    }

    private static void fillRow(long tensorSeed, long row, float[] dst) {
        SplittableRandom random = new SplittableRandom(mix(tensorSeed + row * 0x9E3779B97F4A7C15L));
        float scale = (float) (WEIGHT_STD / SUM4_STD);
        for (int i = 0; i < dst.length; i++) {
            long r = random.nextLong();
            int sum = (int) (r & 0xFFFF) + (int) ((r >>> 16) & 0xFFFF) + (int) ((r >>> 32) & 0xFFFF) + (int) (r >>> 48);
            dst[i] = (sum - SUM4_MEAN) * scale;
        }
    }

    /**
     * MurmurHash3's 64-bit finalizer. SplittableRandom's sequences for seeds that differ by a multiple of its gamma
     * overlap, so row seeds are scrambled before use.
     */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
