package dev.gantry.app.bench.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The load's prompts are reproducible from the seed, exactly as long as asked, and avoid the special ids. */
class ServeLoadTest {

    @Test
    void theSameSeedGivesEveryTargetTheSamePromptsOfExactLengthAndOrdinaryIds() {
        ServeLoad load = new ServeLoad(4, 5, 7, 3, 0, 42);
        var a = load.prompts(512);
        var b = load.prompts(512);
        assertThat(a).hasSize(5);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).hasSize(7).isEqualTo(b.get(i));
            assertThat(Arrays.stream(a.get(i)).boxed().toList()).allSatisfy(id -> assertThat(id).isBetween(ServeLoad.FIRST_ORDINARY_ID, 511));
        }
        assertThat(new ServeLoad(4, 5, 7, 3, 0, 43).prompts(512).getFirst()).isNotEqualTo(a.getFirst());
    }

    @Test
    void nonPositiveSizesAreRefusedNamingTheOptions() {
        assertThatThrownBy(() -> new ServeLoad(0, 5, 7, 3, 0, 42)).hasMessageContaining("--clients");
    }
}
