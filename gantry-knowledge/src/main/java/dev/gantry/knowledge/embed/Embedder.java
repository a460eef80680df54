package dev.gantry.knowledge.embed;

import dev.gantry.knowledge.ingest.TokenCounter;
import java.util.List;

/**
 * Turns text into vectors for the index. Documents and queries are separate calls because some models
 * (bge) embed a query with an instruction prefix and a passage without. Implementations are thread-safe.
 */
public interface Embedder extends TokenCounter {

    /** Stable model id, stored with each collection so an index is never queried with another model's vectors. */
    String id();

    /** Length of every vector this embedder returns. */
    int dimension();

    /** The most tokens one input may have before the model truncates or averages windows; chunks stay below it. */
    int maxInputTokens();

    /** Embeds passages, in order; one vector per text, each of length {@link #dimension()}. */
    List<float[]> embedDocuments(List<String> texts);

    /** Embeds a search query. */
    float[] embedQuery(String query);

    /** How retrieval treats this model's similarities: relevance floor and hybrid fusion weight. */
    RetrievalCalibration calibration();
}
