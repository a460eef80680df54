/**
 * {@code gantry pull}'s downloads: {@link dev.gantry.app.pull.PullSource} reads what the user typed (a Hugging
 * Face {@code /resolve/} URL, {@code hf://org/repo/file.gguf} or {@code org/repo:file.gguf}) and
 * {@link dev.gantry.app.pull.ModelDownload} fetches it into the models directory: through a {@code .part} file
 * that an interrupted pull resumes with an HTTP Range request, SHA-256-verified, GGUF-checked, renamed into place
 * atomically so the server never sees half a model.
 */
package dev.gantry.app.pull;
