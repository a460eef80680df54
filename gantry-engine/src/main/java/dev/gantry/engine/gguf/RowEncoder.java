package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Quantizer;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Encodes a tensor row by row from floats into its {@link GgmlType} and streams it into a {@link GgufWriter}, a
 * chunk of rows at a time, so a tensor is never whole in memory (a 1.1B model's embedding is 262 MB in F32). The
 * rows of a chunk are encoded on a few threads, each with its own row buffer; the chunk is written once all are
 * done. Rows are produced by a {@link RowSource} that must be safe to call from several threads.
 */
final class RowEncoder implements AutoCloseable {

    /** Fills one row of floats; called concurrently for different rows. */
    @FunctionalInterface
    interface RowSource {
        void fill(long row, float[] dst);
    }

    /** About this many encoded bytes per chunk: large enough to keep the threads busy, small enough to stay cheap. */
    private static final long CHUNK_BYTES = 8L << 20;

    private final int threads;
    private final ExecutorService executor;

    RowEncoder(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.executor = threads > 1 ? Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("gantry-encode-", 0).factory()) : null;
    }

    /**
     * Writes tensor {@code name} (declared in {@code writer} as {@code type}, {@code rows} rows of {@code rowLength}
     * elements) from {@code source}.
     */
    void write(GgufWriter writer, String name, GgmlType type, int rowLength, long rows, RowSource source) {
        Quantizer quantizer = Quantizer.of(type);
        long rowBytes = type.byteSize(rowLength);
        int chunkRows = (int) Math.max(1, Math.min(rows, CHUNK_BYTES / rowBytes));
        byte[] chunk = new byte[Math.toIntExact(chunkRows * rowBytes)];
        MemorySegment segment = MemorySegment.ofArray(chunk);
        for (long first = 0; first < rows; first += chunkRows) {
            int n = (int) Math.min(chunkRows, rows - first);
            encode(quantizer, rowLength, rowBytes, first, n, source, segment);
            writer.writeTensor(name, segment.asSlice(0, n * rowBytes));
        }
    }

    private void encode(Quantizer quantizer, int rowLength, long rowBytes, long first, int n, RowSource source, MemorySegment dst) {
        int parts = executor == null ? 1 : Math.min(threads, n);
        if (parts == 1) {
            encodeRows(quantizer, rowLength, rowBytes, first, 0, n, source, dst);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int from = n * p / parts;
            int to = n * (p + 1) / parts;
            futures.add(executor.submit(() -> encodeRows(quantizer, rowLength, rowBytes, first, from, to, source, dst)));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while encoding rows", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private static void encodeRows(Quantizer quantizer, int rowLength, long rowBytes, long first, int from, int to,
                                   RowSource source, MemorySegment dst) {
        float[] row = new float[rowLength];
        for (int r = from; r < to; r++) {
            source.fill(first + r, row);
            quantizer.quantize(row, 0, dst, r * rowBytes, rowLength);
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
