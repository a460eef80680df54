/**
 * Weights as ggml stores them: {@link dev.gantry.engine.tensor.GgmlType} (ids and block geometry),
 * {@link dev.gantry.engine.tensor.Tensor} (a view over a {@code MemorySegment}), and one class per weight format
 * ({@code F32}, {@code F16}, {@code BF16}, {@code Q8_0}, {@code Q4_0}, {@code Q4_1}, {@code Q5_0}, {@code Q5_1},
 * {@code Q2_K} ... {@code Q6_K}, {@code IQ4_NL}, {@code IQ4_XS}), each citing its ggml block layout and holding a
 * scalar reference decoder beside its Vector API dot-product kernel; {@link dev.gantry.engine.tensor.Quantizer}s
 * encode with ggml's reference rounding. Look formats up with
 * {@link dev.gantry.engine.tensor.WeightFormat#of(GgmlType)}.
 *
 * <p>Imports only the JDK and {@code jdk.incubator.vector}.
 */
package dev.gantry.engine.tensor;
