package dev.gantry.engine.support;

import dev.gantry.engine.LocalModel;
import dev.gantry.engine.kvcache.SequenceKvCache;
import dev.gantry.engine.model.Transformer;
import java.util.ArrayList;
import java.util.List;

/** The reference batched serving must match: greedy tokens of one prompt run alone, through the single-sequence path. */
public final class GreedyRun {

    private GreedyRun() {
    }

    public static List<Integer> alone(LocalModel model, int[] prompt, int generate) {
        Transformer t = model.transformer();
        List<Integer> out = new ArrayList<>();
        try (SequenceKvCache cache = t.newCache(prompt.length + generate)) {
            float[] logits = t.forward(prompt, 0, cache, 1);
            for (int i = 0; i < generate; i++) {
                int best = 0;
                for (int v = 1; v < logits.length; v++) {
                    if (logits[v] > logits[best]) {
                        best = v;
                    }
                }
                out.add(best);
                if (i + 1 < generate) {
                    logits = t.forward(new int[] {best}, prompt.length + i, cache, 1);
                }
            }
        }
        return out;
    }
}
