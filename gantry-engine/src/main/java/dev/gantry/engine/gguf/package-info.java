/**
 * The GGUF file format (ggml/docs/gguf.md, versions 2 and 3): {@link dev.gantry.engine.gguf.GgufFile} maps a file
 * once and exposes its typed metadata and tensor infos, with tensors as zero-copy slices of the mapping;
 * {@link dev.gantry.engine.gguf.GgufWriter} writes one, streaming tensor data so that a model never has to fit in
 * memory. On the writer: {@link dev.gantry.engine.gguf.QuantizedModelWriter} rewrites a model's matrices in
 * another weight format ({@code gantry quantize}), and {@link dev.gantry.engine.gguf.SyntheticModel} writes
 * random-weight llamas of given shapes with a valid vocabulary ({@code gantry bench --synthetic}). Every malformed
 * input is a {@link dev.gantry.engine.gguf.GgufException} naming the file.
 */
package dev.gantry.engine.gguf;
