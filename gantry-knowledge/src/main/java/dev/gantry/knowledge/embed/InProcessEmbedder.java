package dev.gantry.knowledge.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.List;
import java.util.function.Supplier;

/**
 * An embedding model that runs in this process on ONNX Runtime, its weights and tokenizer read from a Maven jar
 * (langchain4j embeddings), so it needs no network. Both models are BERT-style encoders with the
 * bert-base-uncased WordPiece vocabulary, which is what {@link #count(String)} uses.
 */
public final class InProcessEmbedder implements Embedder {

    /**
     * The models whose jars are on the class path, with their calibration, measured with RetrievalBenchmark (test
     * tree) on the generated corpus. Floors: the best chunk's cosine similarity for the corpus's own questions
     * against that for 15 unrelated questions; MiniLM: corpus >= 0.32 (3 seeds), unrelated <= 0.29 but one
     * half-related question (0.39), floor 0.30; bge: corpus >= 0.625, unrelated <= 0.595, floor 0.60. Vector weights:
     * the smallest tried at which hybrid beat both single rankers on recall@5 and MRR@10 on every seed; MiniLM 1.5
     * (equal weights lost MRR to kNN alone), bge 6 (its kNN is so much stronger than BM25 that lower weights let
     * BM25 pull its first hits down).
     */
    public enum Model {
        /** sentence-transformers/all-MiniLM-L6-v2, int8: 384 dimensions, mean pooling. */
        ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", 384, "", new RetrievalCalibration(0.30, 1.5),
                AllMiniLmL6V2QuantizedEmbeddingModel::new),
        /**
         * BAAI/bge-small-en-v1.5, int8: 384 dimensions, CLS pooling. Its model card asks for this instruction before
         * short retrieval queries (not before passages).
         */
        BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", 384, "Represent this sentence for searching relevant passages: ",
                new RetrievalCalibration(0.60, 6.0), BgeSmallEnV15QuantizedEmbeddingModel::new);

        private final String id;
        private final int dimension;
        private final String queryPrefix;
        private final RetrievalCalibration calibration;
        private final Supplier<EmbeddingModel> factory;

        Model(String id, int dimension, String queryPrefix, RetrievalCalibration calibration,
              Supplier<EmbeddingModel> factory) {
            this.id = id;
            this.dimension = dimension;
            this.queryPrefix = queryPrefix;
            this.calibration = calibration;
            this.factory = factory;
        }

        public String id() {
            return id;
        }
    }

    /** Both models' ONNX graphs take 512 positions; langchain4j reserves two for [CLS] and [SEP]. */
    private static final int MAX_INPUT_TOKENS = 510;

    private final Model model;
    private final EmbeddingModel onnx;
    private final HuggingFaceTokenCountEstimator tokenizer;

    public InProcessEmbedder(Model model) {
        this.model = model;
        this.onnx = model.factory.get();
        this.tokenizer = new HuggingFaceTokenCountEstimator();
    }

    @Override
    public String id() {
        return model.id;
    }

    @Override
    public int dimension() {
        return model.dimension;
    }

    @Override
    public int maxInputTokens() {
        return MAX_INPUT_TOKENS;
    }

    @Override
    public RetrievalCalibration calibration() {
        return model.calibration;
    }

    @Override
    public int count(String text) {
        return tokenizer.estimateTokenCountInText(text);
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<Embedding> embeddings = onnx.embedAll(texts.stream().map(TextSegment::from).toList()).content();
        return embeddings.stream().map(Embedding::vector).toList();
    }

    @Override
    public float[] embedQuery(String query) {
        return onnx.embed(model.queryPrefix + query).content().vector();
    }
}
