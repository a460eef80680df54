package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * A band of weight rows unpacked to floats once, then multiplied by many tokens: the matrix-matrix kernel of
 * prefill and large batches. Unpacking costs about one vector operation per weight, paid once for the band instead
 * of once per tile of tokens as {@link WeightFormat#dotTokens} pays it; what is left is a register-blocked loop of
 * loads and fused multiply-adds, several rows times several tokens per step, as in the micro-kernels of BLIS (Van
 * Zee and van de Geijn, ACM TOMS 2015).
 *
 * <p>Each (row, token) result repeats the exact chain of operations of the format's {@link WeightFormat#dot}, as its
 * {@link PanelLayout} names it, so a token gets bit for bit what it gets alone, whatever the batch. Kernels whose
 * row or token count does not divide the tile repeat the last row or token (computing it twice, writing the same
 * value twice) rather than having remainder kernels: fewer methods for C2 to keep within its inlining budget.
 *
 * <p>Not thread-safe: one panel per thread, reused from call to call (its arrays grow to the largest band seen).
 */
public final class WeightPanel {

    private static final int LANES = Simd.LANES;
    private static final int STEPS_PER_BLOCK = 32 / LANES;

    private float[] values = new float[0];
    private float[] scales = new float[0];
    private float[] mins = new float[0];
    /** For layouts with mins: each token's per-block activation sums, one vector of lanes per block. */
    private float[] blockSums = new float[0];
    /** The tokens' elements past the vector loop, transposed: element j of token t at {@code [j * tokens + t]}. */
    private float[] tails = new float[0];
    /** A kernel's accumulators, stored for their fixed-order lane sums ({@link Simd#sum(float[], int)}). */
    private final float[] lanes = new float[16 * Simd.WIDE];
    /** The lane sums of {@link #lanes}' slots, and each slot's (row, token), for {@link #finishPending}. */
    private final float[] laneSums = new float[16 * Simd.WIDE / LANES];
    private final int[] pendingRows = new int[16 * Simd.WIDE / LANES];
    private final int[] pendingTokens = new int[16 * Simd.WIDE / LANES];
    private PanelLayout layout;
    private int rows;
    private int n;

    /** Whether {@code format} has a panel kernel; those without keep {@link WeightFormat#dotTokens}. */
    public static boolean supports(WeightFormat format) {
        return format.panelLayout() != null;
    }

    /** Unpacks {@code rows} rows of {@code n} weights, the first at byte {@code offset}, each {@code rowBytes} on. */
    public void load(WeightFormat format, MemorySegment data, long offset, long rowBytes, int rows, int n) {
        prepare(format, rows, n);
        for (int r = 0; r < rows; r++) {
            format.unpack(data, offset + r * rowBytes, n, values, r * n, scales, mins, r * blocks());
        }
    }

    /** Unpacks {@code rows} rows of {@code n} weights, row r at byte {@code rowOffsets[r]} (rows of a paged cache). */
    public void load(WeightFormat format, MemorySegment data, long[] rowOffsets, int rows, int n) {
        prepare(format, rows, n);
        for (int r = 0; r < rows; r++) {
            format.unpack(data, rowOffsets[r], n, values, r * n, scales, mins, r * blocks());
        }
    }

    private void prepare(WeightFormat format, int rows, int n) {
        this.layout = format.panelLayout();
        if (layout == null) {
            throw new UnsupportedOperationException(format.type() + " has no panel kernel");
        }
        this.rows = rows;
        this.n = n;
        if (values.length < rows * n) {
            values = new float[rows * n];
        }
        if (scales.length < rows * blocks()) {
            scales = new float[rows * blocks()];
            mins = new float[rows * blocks()];
        }
    }

    private int blocks() {
        return layout.block() > 0 ? n / layout.block() : 0;
    }

    /**
     * {@code out[outOffset + t * outStride + r] = row r . x[xOffset + t * xStride ..]} for every loaded row and
     * {@code t < tokens}: each tile of tokens passes over all the band's rows while its activations are in cache.
     */
    public void multiply(float[] x, int xOffset, int xStride, int tokens, float[] out, int outOffset, int outStride) {
        Tile tile = new Tile(x, xOffset, xStride, tokens, out, outOffset, outStride);
        if (layout.mins()) {
            sumBlocks(tile);
        }
        switch (layout) {
            case SCALED_BLOCKS_OF_32, SCALED_BLOCKS_OF_32_WITH_MINS, SCALED_BLOCKS_OF_16 -> {
                for (int t = 0; t < tokens; t += 3) {
                    for (int r = 0; r < rows; r += 2) {
                        scaledBlocks(tile, r, Math.min(r + 1, rows - 1), t);
                    }
                }
            }
            case ONE_ACCUMULATOR -> {
                for (int t = 0; t < tokens; t += 4) {
                    if (LANES >= Simd.WIDE) {
                        for (int r = 0; r < rows; r += 4) {
                            int r1 = Math.min(r + 1, rows - 1);
                            int r2 = Math.min(r + 2, rows - 1);
                            int r3 = Math.min(r + 3, rows - 1);
                            oneAccumulatorWide(tile, r, r1, r2, r3, t);
                            // its 16 results: rows r..r3 (k / 4) times tokens t..t+3 (k % 4)
                            for (int k = 0; k < 16; k++) {
                                pend(k, k < 8 ? (k < 4 ? r : r1) : (k < 12 ? r2 : r3), t + k % 4);
                            }
                            finishPending(tile, 16);
                        }
                    } else {
                        for (int r = 0; r < rows; r += 2) {
                            oneAccumulator(tile, r, Math.min(r + 1, rows - 1), t);
                        }
                    }
                }
            }
            case FOUR_ACCUMULATORS -> {
                // results gather LANES at a time for one paired lane sum (Simd.sums)
                int pending = 0;
                int step = LANES >= Simd.WIDE ? 2 : 1;
                for (int t = 0; t < tokens; t += 3) {
                    for (int r = 0; r < rows; r += step) {
                        int r1 = Math.min(r + 1, rows - 1);
                        if (step == 2) {
                            fourAccumulatorsWide(tile, r, r1, t, pending);
                        } else {
                            fourAccumulators(tile, r, t, pending);
                        }
                        for (int k = 0; k < 3 * step; k++) {
                            pend(pending++, k < 3 ? r : r1, t + k % 3);
                        }
                        if (pending + 3 * step > LANES) {
                            finishPending(tile, pending);
                            pending = 0;
                        }
                    }
                }
                finishPending(tile, pending);
            }
        }
        addTails(tile, switch (layout) {
            case SCALED_BLOCKS_OF_32, SCALED_BLOCKS_OF_32_WITH_MINS, SCALED_BLOCKS_OF_16 -> n;
            case ONE_ACCUMULATOR -> n - n % Simd.WIDE;
            case FOUR_ACCUMULATORS -> n - n % (4 * LANES);
        });
    }

    /** Each token's activations summed per block of 32, as {@link Q4_K#dot} sums them for the mins. */
    private void sumBlocks(Tile tile) {
        int blocks = n / 32;
        if (blockSums.length < tile.tokens() * blocks * LANES) {
            blockSums = new float[tile.tokens() * blocks * LANES];
        }
        for (int t = 0; t < tile.tokens(); t++) {
            int x0 = tile.xRow(t);
            for (int b = 0; b < blocks; b++) {
                FloatVector sum = FloatVector.zero(Simd.F);
                for (int k = 0; k < STEPS_PER_BLOCK; k++) {
                    sum = sum.add(FloatVector.fromArray(Simd.F, tile.x(), x0 + 32 * b + k * LANES));
                }
                sum.intoArray(blockSums, (t * blocks + b) * LANES);
            }
        }
    }

    /** The activations and outputs of one {@link #multiply}. */
    private record Tile(float[] x, int xOffset, int xStride, int tokens, float[] out, int outOffset, int outStride) {

        /** Token t, or the last one past the end: a kernel's spare columns repeat it. */
        int token(int t) {
            return Math.min(t, tokens - 1);
        }

        int xRow(int t) {
            return xOffset + token(t) * xStride;
        }
    }

    /** Writes the result of (row r, token t) from the accumulator stored at {@code lanes[k * LANES..]}: its fixed-order lane sum. */
    private void finish(Tile tile, int r, int t, int k) {
        finish(tile, r, t, Simd.sum(lanes, k * LANES));
    }

    /** Result slot {@code k} of {@link #lanes} is (row r, token t). */
    private void pend(int k, int r, int t) {
        pendingRows[k] = r;
        pendingTokens[k] = t;
    }

    /** Writes the first {@code count} pending results: the lane sums of all {@link #lanes} slots at once (unused slots are summed and dropped). */
    private void finishPending(Tile tile, int count) {
        if (count == 0) {
            return;
        }
        for (int base = 0; base < count; base += LANES) {
            Simd.sums(lanes, base * LANES, laneSums, base);
        }
        for (int k = 0; k < count; k++) {
            finish(tile, pendingRows[k], pendingTokens[k], laneSums[k]);
        }
    }

    private void finish(Tile tile, int r, int t, float sum) {
        tile.out()[tile.outOffset() + tile.token(t) * tile.outStride() + r] = sum;
    }

    /**
     * Adds to every result the products of its row's elements {@code [from, n)}, the part of a row past the dot's
     * vector loop, which the dot adds one by one: {@code s += w[j] * x[j]} in order, a multiply and an add each
     * rounded. Here a vector holds one such chain per token, so each lane repeats its token's scalar steps bit for
     * bit, over the tokens' tails transposed once into {@link #tails} (rows as short as 172, the FFN of stories260K,
     * leave a quarter of their elements to this loop).
     */
    private void addTails(Tile tile, int from) {
        int tail = n - from;
        if (tail == 0) {
            return;
        }
        int tokens = tile.tokens();
        int padded = (tokens + LANES - 1) / LANES * LANES;
        if (tails.length < tail * padded) {
            tails = new float[tail * padded];
        }
        float[] x = tile.x();
        for (int t = 0; t < padded; t++) {
            int x0 = tile.xRow(t) + from;
            for (int j = 0; j < tail; j++) {
                tails[j * padded + t] = x[x0 + j];
            }
        }
        float[] out = tile.out();
        float[] sums = laneSums;
        for (int r = 0; r < rows; r++) {
            int w = r * n + from;
            for (int t = 0; t < tokens; t += LANES) {
                int lanesHere = Math.min(LANES, tokens - t);
                for (int k = 0; k < LANES; k++) {
                    sums[k] = out[tile.outOffset() + tile.token(t + k) * tile.outStride() + r];
                }
                FloatVector s = FloatVector.fromArray(Simd.F, sums, 0);
                for (int j = 0; j < tail; j++) {
                    FloatVector xs = FloatVector.fromArray(Simd.F, tails, j * padded + t);
                    s = s.add(xs.mul(values[w + j]));
                }
                s.intoArray(sums, 0);
                for (int k = 0; k < lanesHere; k++) {
                    out[tile.outOffset() + (t + k) * tile.outStride() + r] = sums[k];
                }
            }
        }
    }

    /**
     * Rows r0, r1 times tokens t, t+1, t+2, as {@link Q8_0#dot} and {@link Q4_0#dot}, and (with a second chain for
     * the mins) {@link Q4_K#dot} and {@link Q5_K#dot}; with a scale per half block, {@link Q6_K#dot}. The loop walks
     * blocks of 32 either way, so that C2 unrolls each completely.
     */
    private void scaledBlocks(Tile tile, int r0, int r1, int t) {
        float[] x = tile.x();
        int xa = tile.xRow(t);
        int xb = tile.xRow(t + 1);
        int xc = tile.xRow(t + 2);
        int w0 = r0 * n;
        int w1 = r1 * n;
        int blocks = n / 32;
        boolean halves = layout.block() == 16;
        int scalesPerBlock = halves ? 2 : 1;
        int s0 = r0 * blocks * scalesPerBlock;
        int s1 = r1 * blocks * scalesPerBlock;
        float[] v = values;
        FloatVector a00 = FloatVector.zero(Simd.F);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        for (int b = 0; b < blocks; b++) {
            FloatVector p00 = FloatVector.zero(Simd.F);
            FloatVector p01 = p00;
            FloatVector p02 = p00;
            FloatVector p10 = p00;
            FloatVector p11 = p00;
            FloatVector p12 = p00;
            // a constant trip count, so that C2 unrolls the block completely
            for (int k = 0; k < STEPS_PER_BLOCK; k++) {
                int i = 32 * b + k * LANES;
                FloatVector wa = FloatVector.fromArray(Simd.F, v, w0 + i);
                FloatVector wb = FloatVector.fromArray(Simd.F, v, w1 + i);
                FloatVector x0 = FloatVector.fromArray(Simd.F, x, xa + i);
                p00 = wa.fma(x0, p00);
                p10 = wb.fma(x0, p10);
                FloatVector x1 = FloatVector.fromArray(Simd.F, x, xb + i);
                p01 = wa.fma(x1, p01);
                p11 = wb.fma(x1, p11);
                FloatVector x2 = FloatVector.fromArray(Simd.F, x, xc + i);
                p02 = wa.fma(x2, p02);
                p12 = wb.fma(x2, p12);
                if (halves && k == STEPS_PER_BLOCK / 2 - 1) {
                    // the first half block's scale; k is a constant once the loop is unrolled
                    FloatVector h0 = FloatVector.broadcast(Simd.F, scales[s0 + 2 * b]);
                    FloatVector h1 = FloatVector.broadcast(Simd.F, scales[s1 + 2 * b]);
                    a00 = p00.fma(h0, a00);
                    a01 = p01.fma(h0, a01);
                    a02 = p02.fma(h0, a02);
                    a10 = p10.fma(h1, a10);
                    a11 = p11.fma(h1, a11);
                    a12 = p12.fma(h1, a12);
                    p00 = FloatVector.zero(Simd.F);
                    p01 = p00;
                    p02 = p00;
                    p10 = p00;
                    p11 = p00;
                    p12 = p00;
                }
            }
            FloatVector d0 = FloatVector.broadcast(Simd.F, scales[s0 + scalesPerBlock * b + scalesPerBlock - 1]);
            FloatVector d1 = FloatVector.broadcast(Simd.F, scales[s1 + scalesPerBlock * b + scalesPerBlock - 1]);
            a00 = p00.fma(d0, a00);
            a01 = p01.fma(d0, a01);
            a02 = p02.fma(d0, a02);
            a10 = p10.fma(d1, a10);
            a11 = p11.fma(d1, a11);
            a12 = p12.fma(d1, a12);
        }
        a00.intoArray(lanes, 0);
        a01.intoArray(lanes, LANES);
        a02.intoArray(lanes, 2 * LANES);
        a10.intoArray(lanes, 3 * LANES);
        a11.intoArray(lanes, 4 * LANES);
        a12.intoArray(lanes, 5 * LANES);
        if (layout.mins()) {
            subtractMins(tile, r0, r1, t);
        }
        for (int k = 0; k < 6; k++) {
            finish(tile, k < 3 ? r0 : r1, t + k % 3, k);
        }
    }

    /**
     * The mins' chain of {@link Q4_K#dot} for rows r0, r1 times tokens t, t+1, t+2, subtracted lane by lane from
     * the accumulators {@link #scaledBlocks} stored (a method of its own, for C2's inlining budget).
     */
    private void subtractMins(Tile tile, int r0, int r1, int t) {
        int blocks = n / 32;
        int s0 = r0 * blocks;
        int s1 = r1 * blocks;
        int ta = tile.token(t) * blocks * LANES;
        int tb = tile.token(t + 1) * blocks * LANES;
        int tc = tile.token(t + 2) * blocks * LANES;
        FloatVector m00 = FloatVector.zero(Simd.F);
        FloatVector m01 = m00;
        FloatVector m02 = m00;
        FloatVector m10 = m00;
        FloatVector m11 = m00;
        FloatVector m12 = m00;
        for (int b = 0; b < blocks; b++) {
            FloatVector e0 = FloatVector.broadcast(Simd.F, mins[s0 + b]);
            FloatVector e1 = FloatVector.broadcast(Simd.F, mins[s1 + b]);
            FloatVector xs0 = FloatVector.fromArray(Simd.F, blockSums, ta + b * LANES);
            FloatVector xs1 = FloatVector.fromArray(Simd.F, blockSums, tb + b * LANES);
            FloatVector xs2 = FloatVector.fromArray(Simd.F, blockSums, tc + b * LANES);
            m00 = xs0.fma(e0, m00);
            m01 = xs1.fma(e0, m01);
            m02 = xs2.fma(e0, m02);
            m10 = xs0.fma(e1, m10);
            m11 = xs1.fma(e1, m11);
            m12 = xs2.fma(e1, m12);
        }
        FloatVector.fromArray(Simd.F, lanes, 0).sub(m00).intoArray(lanes, 0);
        FloatVector.fromArray(Simd.F, lanes, LANES).sub(m01).intoArray(lanes, LANES);
        FloatVector.fromArray(Simd.F, lanes, 2 * LANES).sub(m02).intoArray(lanes, 2 * LANES);
        FloatVector.fromArray(Simd.F, lanes, 3 * LANES).sub(m10).intoArray(lanes, 3 * LANES);
        FloatVector.fromArray(Simd.F, lanes, 4 * LANES).sub(m11).intoArray(lanes, 4 * LANES);
        FloatVector.fromArray(Simd.F, lanes, 5 * LANES).sub(m12).intoArray(lanes, 5 * LANES);
    }

    /**
     * Rows r0, r1 times tokens t..t+3, as {@link F16#dot}: one accumulator of {@link Simd#WIDE} lanes per result,
     * built one part of {@link #LANES} lanes per pass where vectors are narrower, and stored as the wide vector.
     */
    private void oneAccumulator(Tile tile, int r0, int r1, int t) {
        float[] x = tile.x();
        int xa = tile.xRow(t);
        int xb = tile.xRow(t + 1);
        int xc = tile.xRow(t + 2);
        int xd = tile.xRow(t + 3);
        float[] v = values;
        int end = n - n % Simd.WIDE;
        for (int part = 0; part < Simd.WIDE_PARTS; part++) {
            int p = part * LANES;
            int w0 = r0 * n + p;
            int w1 = r1 * n + p;
            FloatVector a00 = FloatVector.zero(Simd.F);
            FloatVector a01 = a00;
            FloatVector a02 = a00;
            FloatVector a03 = a00;
            FloatVector a10 = a00;
            FloatVector a11 = a00;
            FloatVector a12 = a00;
            FloatVector a13 = a00;
            for (int i = 0; i < end; i += Simd.WIDE) {
                FloatVector wa = FloatVector.fromArray(Simd.F, v, w0 + i);
                FloatVector wb = FloatVector.fromArray(Simd.F, v, w1 + i);
                FloatVector x0 = FloatVector.fromArray(Simd.F, x, xa + p + i);
                a00 = wa.fma(x0, a00);
                a10 = wb.fma(x0, a10);
                FloatVector x1 = FloatVector.fromArray(Simd.F, x, xb + p + i);
                a01 = wa.fma(x1, a01);
                a11 = wb.fma(x1, a11);
                FloatVector x2 = FloatVector.fromArray(Simd.F, x, xc + p + i);
                a02 = wa.fma(x2, a02);
                a12 = wb.fma(x2, a12);
                FloatVector x3 = FloatVector.fromArray(Simd.F, x, xd + p + i);
                a03 = wa.fma(x3, a03);
                a13 = wb.fma(x3, a13);
            }
            a00.intoArray(lanes, p);
            a01.intoArray(lanes, Simd.WIDE + p);
            a02.intoArray(lanes, 2 * Simd.WIDE + p);
            a03.intoArray(lanes, 3 * Simd.WIDE + p);
            a10.intoArray(lanes, 4 * Simd.WIDE + p);
            a11.intoArray(lanes, 5 * Simd.WIDE + p);
            a12.intoArray(lanes, 6 * Simd.WIDE + p);
            a13.intoArray(lanes, 7 * Simd.WIDE + p);
        }
        for (int k = 0; k < 8; k++) {
            finish(tile, k < 4 ? r0 : r1, t + k % 4, Simd.sumWide(lanes, k * Simd.WIDE));
        }
    }

    /**
     * Rows r0..r3 times tokens t..t+3, as {@link F16#dot}, where a vector holds all {@link Simd#WIDE} lanes: sixteen
     * accumulators, which fit the 32 registers of AVX-512 (eight weight and token loads per sixteen multiply-adds,
     * against six per eight in {@link #oneAccumulator}).
     */
    private void oneAccumulatorWide(Tile tile, int r0, int r1, int r2, int r3, int t) {
        float[] x = tile.x();
        int xa = tile.xRow(t);
        int xb = tile.xRow(t + 1);
        int xc = tile.xRow(t + 2);
        int xd = tile.xRow(t + 3);
        float[] v = values;
        int w0 = r0 * n;
        int w1 = r1 * n;
        int w2 = r2 * n;
        int w3 = r3 * n;
        int end = n - n % Simd.WIDE;
        FloatVector a00 = FloatVector.zero(Simd.F);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a03 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        FloatVector a13 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a22 = a00;
        FloatVector a23 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a32 = a00;
        FloatVector a33 = a00;
        for (int i = 0; i < end; i += LANES) {
            FloatVector x0 = FloatVector.fromArray(Simd.F, x, xa + i);
            FloatVector x1 = FloatVector.fromArray(Simd.F, x, xb + i);
            FloatVector x2 = FloatVector.fromArray(Simd.F, x, xc + i);
            FloatVector x3 = FloatVector.fromArray(Simd.F, x, xd + i);
            FloatVector w = FloatVector.fromArray(Simd.F, v, w0 + i);
            a00 = w.fma(x0, a00);
            a01 = w.fma(x1, a01);
            a02 = w.fma(x2, a02);
            a03 = w.fma(x3, a03);
            w = FloatVector.fromArray(Simd.F, v, w1 + i);
            a10 = w.fma(x0, a10);
            a11 = w.fma(x1, a11);
            a12 = w.fma(x2, a12);
            a13 = w.fma(x3, a13);
            w = FloatVector.fromArray(Simd.F, v, w2 + i);
            a20 = w.fma(x0, a20);
            a21 = w.fma(x1, a21);
            a22 = w.fma(x2, a22);
            a23 = w.fma(x3, a23);
            w = FloatVector.fromArray(Simd.F, v, w3 + i);
            a30 = w.fma(x0, a30);
            a31 = w.fma(x1, a31);
            a32 = w.fma(x2, a32);
            a33 = w.fma(x3, a33);
        }
        a00.intoArray(lanes, 0);
        a01.intoArray(lanes, LANES);
        a02.intoArray(lanes, 2 * LANES);
        a03.intoArray(lanes, 3 * LANES);
        a10.intoArray(lanes, 4 * LANES);
        a11.intoArray(lanes, 5 * LANES);
        a12.intoArray(lanes, 6 * LANES);
        a13.intoArray(lanes, 7 * LANES);
        a20.intoArray(lanes, 8 * LANES);
        a21.intoArray(lanes, 9 * LANES);
        a22.intoArray(lanes, 10 * LANES);
        a23.intoArray(lanes, 11 * LANES);
        a30.intoArray(lanes, 12 * LANES);
        a31.intoArray(lanes, 13 * LANES);
        a32.intoArray(lanes, 14 * LANES);
        a33.intoArray(lanes, 15 * LANES);
    }

    /**
     * Rows r0 and r1 times tokens t, t+1, t+2, as {@link #fourAccumulators}, where the 32 registers of AVX-512 hold
     * the 24 accumulators: a token's activations loaded once serve two rows, so a multiply-add costs 0.83 loads
     * instead of 1.33 (the activations of three tokens and two rows outgrow the first-level cache, and their loads
     * bounded the one-row kernel). Results go to slots {@code slot..slot+2} (row r0) and {@code slot+3..slot+5}.
     */
    private void fourAccumulatorsWide(Tile tile, int r0, int r1, int t, int slot) {
        float[] x = tile.x();
        int xa = tile.xRow(t);
        int xb = tile.xRow(t + 1);
        int xc = tile.xRow(t + 2);
        int w = r0 * n;
        int u = r1 * n;
        float[] v = values;
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector c2 = a0;
        FloatVector c3 = a0;
        FloatVector d0 = a0;
        FloatVector d1 = a0;
        FloatVector d2 = a0;
        FloatVector d3 = a0;
        FloatVector e0 = a0;
        FloatVector e1 = a0;
        FloatVector e2 = a0;
        FloatVector e3 = a0;
        FloatVector f0 = a0;
        FloatVector f1 = a0;
        FloatVector f2 = a0;
        FloatVector f3 = a0;
        for (int i = 0; i <= n - 4 * LANES; i += 4 * LANES) {
            FloatVector xa0 = FloatVector.fromArray(Simd.F, x, xa + i);
            FloatVector xb0 = FloatVector.fromArray(Simd.F, x, xb + i);
            FloatVector xc0 = FloatVector.fromArray(Simd.F, x, xc + i);
            FloatVector w0 = FloatVector.fromArray(Simd.F, v, w + i);
            FloatVector u0 = FloatVector.fromArray(Simd.F, v, u + i);
            a0 = w0.fma(xa0, a0);
            b0 = w0.fma(xb0, b0);
            c0 = w0.fma(xc0, c0);
            d0 = u0.fma(xa0, d0);
            e0 = u0.fma(xb0, e0);
            f0 = u0.fma(xc0, f0);
            xa0 = FloatVector.fromArray(Simd.F, x, xa + i + LANES);
            xb0 = FloatVector.fromArray(Simd.F, x, xb + i + LANES);
            xc0 = FloatVector.fromArray(Simd.F, x, xc + i + LANES);
            w0 = FloatVector.fromArray(Simd.F, v, w + i + LANES);
            u0 = FloatVector.fromArray(Simd.F, v, u + i + LANES);
            a1 = w0.fma(xa0, a1);
            b1 = w0.fma(xb0, b1);
            c1 = w0.fma(xc0, c1);
            d1 = u0.fma(xa0, d1);
            e1 = u0.fma(xb0, e1);
            f1 = u0.fma(xc0, f1);
            xa0 = FloatVector.fromArray(Simd.F, x, xa + i + 2 * LANES);
            xb0 = FloatVector.fromArray(Simd.F, x, xb + i + 2 * LANES);
            xc0 = FloatVector.fromArray(Simd.F, x, xc + i + 2 * LANES);
            w0 = FloatVector.fromArray(Simd.F, v, w + i + 2 * LANES);
            u0 = FloatVector.fromArray(Simd.F, v, u + i + 2 * LANES);
            a2 = w0.fma(xa0, a2);
            b2 = w0.fma(xb0, b2);
            c2 = w0.fma(xc0, c2);
            d2 = u0.fma(xa0, d2);
            e2 = u0.fma(xb0, e2);
            f2 = u0.fma(xc0, f2);
            xa0 = FloatVector.fromArray(Simd.F, x, xa + i + 3 * LANES);
            xb0 = FloatVector.fromArray(Simd.F, x, xb + i + 3 * LANES);
            xc0 = FloatVector.fromArray(Simd.F, x, xc + i + 3 * LANES);
            w0 = FloatVector.fromArray(Simd.F, v, w + i + 3 * LANES);
            u0 = FloatVector.fromArray(Simd.F, v, u + i + 3 * LANES);
            a3 = w0.fma(xa0, a3);
            b3 = w0.fma(xb0, b3);
            c3 = w0.fma(xc0, c3);
            d3 = u0.fma(xa0, d3);
            e3 = u0.fma(xb0, e3);
            f3 = u0.fma(xc0, f3);
        }
        // combined as dot combines them
        a0.add(a1).add(a2.add(a3)).intoArray(lanes, slot * LANES);
        b0.add(b1).add(b2.add(b3)).intoArray(lanes, (slot + 1) * LANES);
        c0.add(c1).add(c2.add(c3)).intoArray(lanes, (slot + 2) * LANES);
        d0.add(d1).add(d2.add(d3)).intoArray(lanes, (slot + 3) * LANES);
        e0.add(e1).add(e2.add(e3)).intoArray(lanes, (slot + 4) * LANES);
        f0.add(f1).add(f2.add(f3)).intoArray(lanes, (slot + 5) * LANES);
    }

    /**
     * Row r times tokens t, t+1, t+2, as {@link F32#dot} and {@link BF16#dot}: their accumulators into {@link #lanes}
     * slots {@code slot..slot+2}, for {@link #finishPending}.
     */
    private void fourAccumulators(Tile tile, int r, int t, int slot) {
        float[] x = tile.x();
        int xa = tile.xRow(t);
        int xb = tile.xRow(t + 1);
        int xc = tile.xRow(t + 2);
        int w = r * n;
        float[] v = values;
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector c2 = a0;
        FloatVector c3 = a0;
        int i = 0;
        for (; i <= n - 4 * LANES; i += 4 * LANES) {
            FloatVector w0 = FloatVector.fromArray(Simd.F, v, w + i);
            a0 = w0.fma(FloatVector.fromArray(Simd.F, x, xa + i), a0);
            b0 = w0.fma(FloatVector.fromArray(Simd.F, x, xb + i), b0);
            c0 = w0.fma(FloatVector.fromArray(Simd.F, x, xc + i), c0);
            FloatVector w1 = FloatVector.fromArray(Simd.F, v, w + i + LANES);
            a1 = w1.fma(FloatVector.fromArray(Simd.F, x, xa + i + LANES), a1);
            b1 = w1.fma(FloatVector.fromArray(Simd.F, x, xb + i + LANES), b1);
            c1 = w1.fma(FloatVector.fromArray(Simd.F, x, xc + i + LANES), c1);
            FloatVector w2 = FloatVector.fromArray(Simd.F, v, w + i + 2 * LANES);
            a2 = w2.fma(FloatVector.fromArray(Simd.F, x, xa + i + 2 * LANES), a2);
            b2 = w2.fma(FloatVector.fromArray(Simd.F, x, xb + i + 2 * LANES), b2);
            c2 = w2.fma(FloatVector.fromArray(Simd.F, x, xc + i + 2 * LANES), c2);
            FloatVector w3 = FloatVector.fromArray(Simd.F, v, w + i + 3 * LANES);
            a3 = w3.fma(FloatVector.fromArray(Simd.F, x, xa + i + 3 * LANES), a3);
            b3 = w3.fma(FloatVector.fromArray(Simd.F, x, xb + i + 3 * LANES), b3);
            c3 = w3.fma(FloatVector.fromArray(Simd.F, x, xc + i + 3 * LANES), c3);
        }
        // combined as dot combines them
        a0.add(a1).add(a2.add(a3)).intoArray(lanes, slot * LANES);
        b0.add(b1).add(b2.add(b3)).intoArray(lanes, (slot + 1) * LANES);
        c0.add(c1).add(c2.add(c3)).intoArray(lanes, (slot + 2) * LANES);
    }
}
