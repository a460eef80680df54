package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.model.HiddenStateModel;
import dev.gantry.engine.model.Pooling;
import dev.gantry.engine.support.SharedData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embeddings API: validation, batching into passes, pooling, concurrent callers, and encoder-only models. */
class EmbeddingsTest {

    private static LocalModel miniLm;

    @BeforeAll
    static void open() {
        miniLm = LocalModel.open(SharedData.resolve("models/embed/all-MiniLM-L6-v2-f16.gguf"), 2);
    }

    @AfterAll
    static void close() {
        miniLm.close();
    }

    @Test
    void miniLmIsAMeanPooledEncoderOf384DimensionsThatCannotGenerate() {
        Embeddings e = miniLm.embeddings();
        assertThat(e.dimension()).isEqualTo(384);
        assertThat(e.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(e.maxInputTokens()).isEqualTo(512);
        assertThat(miniLm.canGenerate()).isFalse();
        assertThatThrownBy(miniLm::transformer).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("embedding model").hasMessageContaining("bert");
        assertThatThrownBy(() -> new Engine(miniLm, EngineConfig.of(1 << 20))).hasMessageContaining("embedding model");
    }

    @Test
    void anInputLongerThanTheContextIsRefusedNotTruncated() {
        int[] tooLong = new int[513];
        java.util.Arrays.fill(tooLong, 1996);
        assertThatThrownBy(() -> miniLm.embed(List.of(new int[] {101, 102}, tooLong)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 1").hasMessageContaining("513 tokens").hasMessageContaining("512");
        int[] fits = java.util.Arrays.copyOf(tooLong, 512);
        assertThat(miniLm.embed(List.of(fits)).getFirst()).hasSize(384);
    }

    @Test
    void emptyInputsAndIdsOutsideTheVocabularyAreRefusedNamingTheInput() {
        assertThatThrownBy(() -> miniLm.embed(List.of(new int[] {101}, new int[0])))
                .hasMessageContaining("input 1 is empty");
        assertThatThrownBy(() -> miniLm.embed(List.of(new int[] {101, 30522, 102})))
                .hasMessageContaining("input 0, token 1: id 30522 is outside the vocabulary of 30522");
        assertThatThrownBy(() -> miniLm.embed(List.of(new int[] {-1})))
                .hasMessageContaining("id -1");
    }

    @Test
    void concurrentCallersGetTheVectorsOneCallerGets() throws Exception {
        List<int[]> inputs = EmbeddingReference.all().stream().filter(r -> r.model().endsWith("f16.gguf"))
                .map(r -> miniLm.embeddings().tokenize(r.input())).toList();
        miniLm.embed(inputs); // warm the JIT, so that the comparison below sees one compiled kernel
        List<float[]> expected = miniLm.embed(inputs);
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<List<float[]>>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(threads.submit(() -> miniLm.embed(inputs)));
            }
            for (Future<List<float[]>> f : results) {
                List<float[]> got = f.get();
                for (int i = 0; i < inputs.size(); i++) {
                    assertThat(EmbeddingReference.cosine(got.get(i), expected.get(i))).isGreaterThan(0.99999);
                }
            }
        }
    }

    /** A stand-in model whose hidden state of token id k is (k, 1, 0...), recording the size of every pass. */
    private static final class RecordingModel implements HiddenStateModel {
        final List<Integer> passes = new ArrayList<>();

        @Override
        public int dim() {
            return 3;
        }

        @Override
        public int maxSequenceLength() {
            return 8;
        }

        @Override
        public float[] hiddenStates(int[][] sequences) {
            int total = 0;
            for (int[] s : sequences) {
                total += s.length;
            }
            passes.add(total);
            float[] out = new float[total * 3];
            int row = 0;
            for (int[] s : sequences) {
                for (int id : s) {
                    out[row * 3] = id;
                    out[row * 3 + 1] = 1;
                    row++;
                }
            }
            return out;
        }
    }

    @Test
    void inputsAreGroupedIntoPassesOfAtMostBatchTokensAndPooledInOrder() {
        RecordingModel model = new RecordingModel();
        Embeddings e = new Embeddings(model, miniLm.tokenizer(), Pooling.LAST, 6);
        List<float[]> out = e.embed(List.of(new int[] {1, 2, 3}, new int[] {4, 5}, new int[] {6, 7, 8, 9}, new int[] {3}));
        assertThat(model.passes).containsExactly(5, 5);
        // last pooling then L2: (3, 1, 0) / sqrt(10) ...
        assertThat(out.get(0)[0]).isCloseTo((float) (3 / Math.sqrt(10)), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(out.get(2)[0]).isCloseTo((float) (9 / Math.sqrt(82)), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(out.get(3)[0]).isCloseTo((float) (3 / Math.sqrt(10)), org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void aModelWithoutPoolingToAVectorRefusesToEmbed() {
        Embeddings none = new Embeddings(new RecordingModel(), miniLm.tokenizer(), Pooling.NONE, 6);
        assertThatThrownBy(() -> none.embed(List.of(new int[] {1}))).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("'none'");
        Embeddings rank = new Embeddings(new RecordingModel(), miniLm.tokenizer(), Pooling.RANK, 6);
        assertThatThrownBy(() -> rank.embed(List.of(new int[] {1}))).hasMessageContaining("'rank'");
    }
}
