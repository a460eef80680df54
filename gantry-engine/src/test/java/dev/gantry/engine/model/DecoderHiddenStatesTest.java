package dev.gantry.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.LocalModel;
import dev.gantry.engine.kernel.ComputePool;
import dev.gantry.engine.kernel.Matmul;
import dev.gantry.engine.kvcache.SequenceKvCache;
import dev.gantry.engine.support.SharedData;
import java.util.List;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/**
 * A decoder's embeddings come from the states its logits come from: on stories260K, the last token's hidden state
 * from {@link DecoderHiddenStates}, times the output matrix, is the logits row {@link Transformer#forward} gives, and
 * each sequence of a batch gets the states it gets alone.
 */
class DecoderHiddenStatesTest {

    private static final int[] ONCE = {1, 403, 407, 261, 378};
    private static final int[] LILY = {1, 365, 263, 411, 500};

    @Test
    void theLastHiddenStateProjectsToTheForwardPassLogits() {
        try (LocalModel model = LocalModel.open(SharedData.model("stories260K.gguf"), 1);
             ComputePool pool = new ComputePool(1); Arena arena = Arena.ofShared()) {
            Transformer transformer = model.transformer();
            ModelConfig c = model.config();
            float[] states = new DecoderHiddenStates(transformer).hiddenStates(new int[][] {ONCE});
            assertThat(states).hasSize(ONCE.length * c.dim());
            float[] last = java.util.Arrays.copyOfRange(states, (ONCE.length - 1) * c.dim(), ONCE.length * c.dim());
            float[] projected = new float[c.vocabSize()];
            Matmul.apply(pool, ModelWeights.load(model.file(), c, arena).output(), last, 1, projected);
            float[] logits;
            try (SequenceKvCache cache = transformer.newCache(ONCE.length)) {
                logits = transformer.forward(ONCE, 0, cache, 1);
            }
            assertThat(projected).containsExactly(logits, org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    @Test
    void sequencesOfABatchDoNotSeeEachOther() {
        try (LocalModel model = LocalModel.open(SharedData.model("stories260K.gguf"), 1)) {
            DecoderHiddenStates decoder = new DecoderHiddenStates(model.transformer());
            int dim = model.config().dim();
            float[] both = decoder.hiddenStates(new int[][] {ONCE, LILY});
            float[] once = decoder.hiddenStates(new int[][] {ONCE});
            float[] lily = decoder.hiddenStates(new int[][] {LILY});
            assertThat(java.util.Arrays.copyOfRange(both, 0, ONCE.length * dim)).containsExactly(once, org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(java.util.Arrays.copyOfRange(both, ONCE.length * dim, both.length)).containsExactly(lily, org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    @Test
    void aDecoderEmbedsWithMeanPoolingByDefaultIntoUnitVectors() {
        try (LocalModel model = LocalModel.open(SharedData.model("stories260K.gguf"), 1)) {
            assertThat(model.embeddings().pooling()).isEqualTo(Pooling.MEAN);
            List<float[]> out = model.embed(List.of(ONCE, LILY));
            assertThat(out).hasSize(2).allSatisfy(v -> {
                assertThat(v).hasSize(model.config().dim());
                double s = 0;
                for (float x : v) {
                    s += (double) x * x;
                }
                assertThat(Math.sqrt(s)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            });
            assertThat(out.get(0)).isNotEqualTo(out.get(1));
        }
    }
}
