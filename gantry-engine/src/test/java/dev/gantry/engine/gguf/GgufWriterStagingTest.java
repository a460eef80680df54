package dev.gantry.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's staging buffer is reused across tensors: every later float[] or float-segment write still lands. */
class GgufWriterStagingTest {

    @TempDir
    Path dir;

    @Test
    void severalFloatTensorsInARowAreAllWritten() {
        Path file = dir.resolve("floats.gguf");
        float[][] tensors = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}};
        try (GgufWriter w = GgufWriter.create(file)) {
            w.putString("general.architecture", "llama");
            for (int i = 0; i < tensors.length; i++) {
                w.addTensor("t" + i, GgmlType.F32, 4);
            }
            w.writeTensor("t0", tensors[0]);
            w.writeTensor("t1", tensors[1]);
            w.writeTensor("t2", MemorySegment.ofArray(tensors[2]));
        }
        try (GgufFile f = GgufFile.open(file)) {
            for (int i = 0; i < tensors.length; i++) {
                MemorySegment data = f.tensor("t" + i).data();
                float[] back = new float[4];
                for (int j = 0; j < 4; j++) {
                    back[j] = data.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4L * j);
                }
                assertThat(back).as("tensor t%d", i).containsExactly(tensors[i]);
            }
        }
    }
}
