package dev.gantry.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.gguf.GgufException;
import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.gguf.GgufWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pooling picks or averages the rows of one sequence inside a batch of rows, in llama.cpp's enum order. */
class PoolingTest {

    // three sequences' rows of dim 2: seq A rows 0-1, seq B rows 2-4
    private static final float[] STATES = {1, 2, 3, 4, 10, 20, 30, 40, 50, 60};

    @Test
    void meanClsAndLastPoolTheRowsOfOneSequence() {
        // mean multiplies each row by 1/n before summing, as llama.cpp's mean matrix does: not exactly 30
        assertThat(Pooling.MEAN.pool(STATES, 2, 3, 2)).containsExactly(new float[] {30, 40}, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(Pooling.CLS.pool(STATES, 2, 3, 2)).containsExactly(10, 20);
        assertThat(Pooling.LAST.pool(STATES, 2, 3, 2)).containsExactly(50, 60);
        assertThat(Pooling.MEAN.pool(STATES, 0, 2, 2)).containsExactly(2, 3);
    }

    @Test
    void theEnumFollowsLlamaCppsPoolingTypeNumbers() {
        assertThat(Pooling.values()).containsExactly(Pooling.NONE, Pooling.MEAN, Pooling.CLS, Pooling.LAST, Pooling.RANK);
    }

    @Test
    void noneAndRankGiveNoSequenceVector() {
        assertThat(Pooling.NONE.poolsToVector()).isFalse();
        assertThat(Pooling.RANK.poolsToVector()).isFalse();
        assertThatThrownBy(() -> Pooling.RANK.pool(STATES, 0, 1, 2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Pooling.MEAN.pool(STATES, 0, 0, 2)).hasMessageContaining("empty");
    }

    private static Pooling read(Path dir, Long value) {
        Path path = dir.resolve("pooling-" + value + ".gguf");
        try (GgufWriter w = GgufWriter.create(path)) {
            w.putString("general.architecture", "bert");
            if (value != null) {
                w.putUint32("bert.pooling_type", value);
            }
            w.writeHeader();
        }
        try (GgufFile file = GgufFile.open(path)) {
            return Pooling.of(file, "bert");
        }
    }

    @Test
    void readsPoolingTypeFromGgufAndDefaultsToMean(@TempDir Path dir) {
        assertThat(read(dir, 0L)).isEqualTo(Pooling.NONE);
        assertThat(read(dir, 1L)).isEqualTo(Pooling.MEAN);
        assertThat(read(dir, 2L)).isEqualTo(Pooling.CLS);
        assertThat(read(dir, 3L)).isEqualTo(Pooling.LAST);
        assertThat(read(dir, 4L)).isEqualTo(Pooling.RANK);
        assertThat(read(dir, null)).isEqualTo(Pooling.MEAN);
        assertThatThrownBy(() -> read(dir, 7L)).isInstanceOf(GgufException.class).hasMessageContaining("bert.pooling_type");
    }
}
