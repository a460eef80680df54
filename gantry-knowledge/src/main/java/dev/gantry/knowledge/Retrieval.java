package dev.gantry.knowledge;

import dev.gantry.knowledge.index.FusedChunk;
import dev.gantry.knowledge.index.IndexSnapshot;
import dev.gantry.knowledge.index.RankFusion;
import dev.gantry.knowledge.index.RankedChunk;
import dev.gantry.knowledge.index.StoredChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs a search on one snapshot of a collection: BM25 and/or kNN lists, fused for hybrid mode, then the hits'
 * stored fields, cosine similarity to the query and highlights.
 */
final class Retrieval {
    /**
     * How deep each list goes before fusion in hybrid mode. RRF rewards a chunk both lists rank; a chunk at rank 30
     * in one list and rank 2 in the other must still be seen by both, so each list goes well past k.
     */
    static final int HYBRID_DEPTH = 50;

    private Retrieval() {
    }

    /**
     * @param similarity compute each hit's cosine similarity to the query even in keyword mode (answers need it
     *                   to judge relevance)
     */
    static SearchResult search(OpenCollection collection, SearchRequest request, boolean similarity) throws IOException {
        boolean keyword = request.mode() != SearchMode.VECTOR;
        boolean vector = request.mode() != SearchMode.KEYWORD;
        float[] queryVector = vector || similarity ? collection.embedder().embedQuery(request.query()) : null;
        int depth = request.mode() == SearchMode.HYBRID ? Math.max(request.k(), HYBRID_DEPTH) : request.k();
        try (IndexSnapshot snapshot = collection.index().snapshot()) {
            Set<String> terms = snapshot.queryTerms(request.query());
            List<RankedChunk> kw = keyword ? snapshot.keyword(terms, depth, request.filters()) : List.of();
            List<RankedChunk> knn = vector ? snapshot.vector(queryVector, depth, request.filters()) : List.of();
            List<SearchHit> hits = new ArrayList<>();
            RankFusion fusion = request.fusion() != null ? request.fusion()
                    : new RankFusion(1.0, collection.embedder().calibration().vectorWeight(), SearchRequest.RRF_K);
            for (FusedChunk f : rank(request, fusion, kw, knn)) {
                StoredChunk c = snapshot.chunk(f.docId());
                Double cosine = queryVector == null ? null : snapshot.cosine(f.docId(), queryVector);
                double score = switch (request.mode()) {
                    case HYBRID -> f.score();
                    case KEYWORD -> kw.get(f.keywordRank() - 1).score();
                    case VECTOR -> cosine;
                };
                hits.add(new SearchHit(hits.size() + 1, score, c.documentId(), c.documentName(), c.title(),
                        c.chunkIndex(), c.text(), c.start(), c.end(), c.headingPath(), c.pageStart(), c.pageEnd(),
                        cosine, f.keywordRank(), f.vectorRank(), snapshot.highlights(c.text(), terms)));
            }
            return new SearchResult(collection.name(), request.mode(), hits);
        }
    }

    private static List<FusedChunk> rank(SearchRequest request, RankFusion fusion, List<RankedChunk> kw,
                                         List<RankedChunk> knn) {
        return switch (request.mode()) {
            case HYBRID -> fusion.fuse(kw, knn, request.k());
            case KEYWORD -> kw.stream().limit(request.k()).map(r -> new FusedChunk(r.docId(), r.score(), r.rank(), 0)).toList();
            case VECTOR -> knn.stream().limit(request.k()).map(r -> new FusedChunk(r.docId(), r.score(), 0, r.rank())).toList();
        };
    }
}
