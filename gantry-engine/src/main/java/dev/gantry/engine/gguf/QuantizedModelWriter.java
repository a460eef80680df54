package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Quantizer;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.WeightFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Rewrites a GGUF model with its weight matrices in another type, as {@code llama-quantize --pure} does: every
 * tensor of two or more dimensions named {@code *.weight} is decoded with its format's scalar reference and encoded
 * with the target's {@link Quantizer} (ggml's reference rounding); one-dimensional tensors (norms, biases) are kept
 * in F32; metadata is copied, with {@code general.file_type} set to the target's {@link LlamaFileType}.
 *
 * <p>The output is streamed tensor by tensor (a chunk of rows at a time), so the model is never in memory: the
 * input is mapped and the output written through {@link GgufWriter}, which publishes it only when complete.
 *
 * <p>A matrix whose rows are not a whole number of the target's blocks (stories260K's FFN of 172) cannot take it;
 * like llama-quantize, it falls back: an F32 matrix to F16, any other kept in its own type, each reported in
 * {@link Result#fallbacks()}.
 */
public final class QuantizedModelWriter {

    /** What llama-quantize writes beside the tensors: the version of the quantized block layouts (2 since 2023). */
    static final int QUANTIZATION_VERSION = 2;

    /** A tensor written in another type than the target, and why. */
    public record Fallback(String tensor, GgmlType writtenAs, String reason) {

        @Override
        public String toString() {
            return "tensor '" + tensor + "' " + reason + ": written as " + writtenAs;
        }
    }

    /** What was written: how many tensors were re-encoded, copied byte for byte, and which fell back. */
    public record Result(Path output, GgmlType target, int encoded, int copied, List<Fallback> fallbacks) {

        public Result {
            fallbacks = List.copyOf(fallbacks);
        }
    }

    private enum Mode { COPY, ENCODE }

    private record Plan(GgufTensorInfo info, GgmlType type, Mode mode) {
    }

    private QuantizedModelWriter() {
    }

    /** The types a model can be quantized to: those whose format has a {@link Quantizer}. */
    public static List<GgmlType> targetTypes() {
        List<GgmlType> out = new ArrayList<>();
        for (GgmlType t : GgmlType.values()) {
            if (formatOf(t) instanceof Quantizer) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    /** Parses a target type name as llama-quantize spells it ({@code q4_0}, {@code Q8_0}, {@code f16}, {@code bf16}). */
    public static GgmlType parseType(String name) {
        List<GgmlType> targets = targetTypes();
        for (GgmlType t : targets) {
            if (t.name().equalsIgnoreCase(name.strip())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown quantization type '" + name + "' (supported: "
                + targets.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ")");
    }

    /** Quantizes {@code input} into {@code output} (which must be another file) using {@code threads} threads. */
    public static Result quantize(Path input, Path output, GgmlType target, int threads) {
        if (!(formatOf(target) instanceof Quantizer)) {
            throw new IllegalArgumentException("cannot quantize to " + target + ": it has no encoder (supported: " + targetTypes() + ")");
        }
        if (sameFile(input, output)) {
            throw new IllegalArgumentException(output + ": the output must not be the input file");
        }
        LlamaFileType fileType = LlamaFileType.forType(target)
                .orElseThrow(() -> new IllegalArgumentException("llama.cpp has no file type for " + target));
        try (GgufFile source = GgufFile.open(input);
             RowEncoder encoder = new RowEncoder(threads);
             GgufWriter writer = GgufWriter.create(output, source.version() == 2 ? 2 : 3)) {
            List<Fallback> fallbacks = new ArrayList<>();
            List<Plan> plans = new ArrayList<>();
            for (GgufTensorInfo info : source.tensorInfos().values()) {
                plans.add(plan(info, target, fallbacks));
            }
            writer.putAll(source.metadata());
            writer.putUint32("general.file_type", fileType.id());
            writer.putUint32("general.quantization_version", QUANTIZATION_VERSION);
            for (Plan p : plans) {
                writer.addTensor(p.info().name(), p.type(), p.info().shape());
            }
            writer.writeHeader();
            int encoded = 0;
            for (Plan p : plans) {
                Tensor t = source.tensor(p.info().name());
                if (p.mode() == Mode.COPY) {
                    writer.writeTensor(t.name(), t.data());
                } else {
                    encode(encoder, writer, t, p.type());
                    encoded++;
                }
            }
            return new Result(output, target, encoded, plans.size() - encoded, fallbacks);
        }
    }

    private static void encode(RowEncoder encoder, GgufWriter writer, Tensor t, GgmlType type) {
        WeightFormat from = WeightFormat.of(t.type());
        int rowLength = t.cols();
        long srcRowBytes = t.rowBytes();
        encoder.write(writer, t.name(), type, rowLength, t.rows(),
                (row, dst) -> from.dequantize(t.data(), row * srcRowBytes, dst, 0, rowLength));
    }

    private static Plan plan(GgufTensorInfo info, GgmlType target, List<Fallback> fallbacks) {
        GgmlType src = info.type();
        long[] shape = info.shape();
        boolean decodable = formatOf(src) != null;
        if (shape.length < 2) {
            // Norms and biases are tiny and precision-critical: F32, as llama-quantize leaves them.
            return src == GgmlType.F32 || !decodable ? new Plan(info, src, Mode.COPY) : new Plan(info, GgmlType.F32, Mode.ENCODE);
        }
        if (!info.name().endsWith(".weight") || src == target) {
            return new Plan(info, src, Mode.COPY);
        }
        if (!decodable) {
            fallbacks.add(new Fallback(info.name(), src, "has type " + src + ", which Gantry cannot decode"));
            return new Plan(info, src, Mode.COPY);
        }
        if (shape[0] % target.blockSize() != 0) {
            GgmlType fallback = src == GgmlType.F32 ? GgmlType.F16 : src;
            fallbacks.add(new Fallback(info.name(), fallback, "has rows of " + shape[0] + " elements " + Arrays.toString(shape)
                    + ", not a multiple of the " + target + " block size " + target.blockSize()));
            return new Plan(info, fallback, fallback == src ? Mode.COPY : Mode.ENCODE);
        }
        return new Plan(info, target, Mode.ENCODE);
    }

    private static WeightFormat formatOf(GgmlType type) {
        try {
            return WeightFormat.of(type);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            throw new UncheckedIOException(b + ": " + e.getMessage(), e);
        }
    }
}
