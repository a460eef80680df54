package dev.gantry.server.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.knowledge.DocumentInfo;
import dev.gantry.knowledge.KnowledgeException;
import dev.gantry.knowledge.KnowledgeHub;
import dev.gantry.knowledge.SearchMode;
import dev.gantry.knowledge.SearchRequest;
import dev.gantry.knowledge.SearchResult;
import dev.gantry.knowledge.index.RankFusion;
import dev.gantry.server.openai.ApiException;
import dev.gantry.server.openai.JsonRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST .../search}: {@code {"query", "mode": "keyword" | "vector" | "hybrid", "k", "filters": {key:
 * value}, "weights": {"keyword", "vector", "rrf_k"}}}. Hybrid is the default mode and 10 the default k;
 * {@code weights} overrides the embedding model's calibrated fusion (BM25 weight 1, RRF k 60).
 */
final class SearchHandler {

    static final int DEFAULT_K = 10;

    private final KnowledgeHub hub;
    private final KnowledgeRoutes routes;

    SearchHandler(KnowledgeHub hub, KnowledgeRoutes routes) {
        this.hub = hub;
        this.routes = routes;
    }

    void handle(KnowledgeCall call, ServerResponse res) throws IOException {
        JsonRequest body = call.json();
        String query = body.string("query").orElseThrow(() -> ApiException.invalid("query is required", "query"));
        SearchRequest request = new SearchRequest(query, mode(body), body.integer("k", 1, SearchRequest.MAX_K)
                .orElse(DEFAULT_K), filters(body), fusion(body));
        SearchResult result = hub.search(call.tenant(), call.collection(), request);
        Map<String, Map<String, String>> metadata = new HashMap<>();
        routes.sendJson(res, 200, SearchResponse.of(result, id -> metadata.computeIfAbsent(id,
                d -> metadata(hub.document(call.tenant(), call.collection(), d)))));
    }

    static SearchMode mode(JsonRequest body) {
        try {
            return body.string("mode").map(SearchMode::parse).orElse(SearchMode.HYBRID);
        } catch (KnowledgeException e) {
            throw ApiException.invalid(e.getMessage(), "mode");
        }
    }

    static Map<String, String> filters(JsonRequest body) {
        return body.field("filters").map(n -> Uploads.strings(n, "filters")).orElse(Map.of());
    }

    private static RankFusion fusion(JsonRequest body) {
        if (body.field("weights").isEmpty()) {
            return null;
        }
        JsonNode w = body.field("weights").get();
        if (!w.isObject()) {
            throw ApiException.invalid("weights must be an object {keyword, vector, rrf_k}", "weights");
        }
        double keyword = weight(w, "keyword", 1);
        double vector = weight(w, "vector", 1);
        JsonNode k = w.get("rrf_k");
        if (k != null && !(k.isIntegralNumber() && k.canConvertToInt())) {
            throw ApiException.invalid("weights.rrf_k must be an integer", "weights.rrf_k");
        }
        try {
            return new RankFusion(keyword, vector, k == null ? SearchRequest.RRF_K : k.intValue());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage(), "weights");
        }
    }

    private static double weight(JsonNode weights, String name, double fallback) {
        JsonNode n = weights.get(name);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw ApiException.invalid("weights." + name + " must be a number", "weights." + name);
        }
        return n.doubleValue();
    }

    /** The document's filterable metadata: its own keys and the built-in {@code content_type}. */
    private static Map<String, String> metadata(DocumentInfo d) {
        Map<String, String> out = new LinkedHashMap<>(d.metadata());
        out.put("content_type", d.contentType());
        return out;
    }
}
