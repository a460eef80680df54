package dev.gantry.knowledge;

import java.util.Map;

/**
 * A question to answer from one collection.
 *
 * @param k             how many chunks to retrieve as sources, 1..20
 * @param maxTokens     the most tokens the answer may have
 * @param minSimilarity sources whose cosine similarity to the question is below this are not relevant; when no
 *                      source is left the answer says nothing relevant was found; null means the embedding model's
 *                      {@link dev.gantry.knowledge.embed.RetrievalCalibration#relevanceFloor()}
 */
public record AnswerRequest(String question, SearchMode mode, int k, Map<String, String> filters, int maxTokens,
                            Double minSimilarity) {
    public static final int MAX_SOURCES = 20;

    public AnswerRequest {
        if (question == null || question.isBlank()) {
            throw new KnowledgeException(KnowledgeException.Reason.INVALID_ARGUMENT, "the question is empty");
        }
        if (k < 1 || k > MAX_SOURCES) {
            throw new KnowledgeException(KnowledgeException.Reason.INVALID_ARGUMENT,
                    "k must be 1.." + MAX_SOURCES + ", got " + k);
        }
        if (maxTokens < 1) {
            throw new KnowledgeException(KnowledgeException.Reason.INVALID_ARGUMENT, "maxTokens must be >= 1, got " + maxTokens);
        }
        mode = mode == null ? SearchMode.HYBRID : mode;
        filters = filters == null ? Map.of() : Map.copyOf(filters);
    }

    /** Hybrid search, 5 sources, answers up to 512 tokens, the model's relevance floor. */
    public static AnswerRequest of(String question) {
        return new AnswerRequest(question, SearchMode.HYBRID, 5, Map.of(), 512, null);
    }
}
