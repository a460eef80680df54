package dev.gantry.knowledge;

import dev.gantry.knowledge.answer.AnswerModel;
import dev.gantry.knowledge.answer.AnswerPrompt;
import dev.gantry.knowledge.answer.CitationMarkers;
import dev.gantry.knowledge.answer.NumberedSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Retrieval-augmented answering: retrieve, keep the relevant hits, number them into a prompt that fits the model,
 * stream the model's answer, and map its {@code [n]} markers back to chunks. When nothing relevant is retrieved the
 * model is not called at all, so it cannot invent an answer.
 */
final class Answering {
    private Answering() {
    }

    static Answer answer(OpenCollection collection, AnswerRequest request, AnswerModel model, Consumer<String> onText)
            throws IOException {
        SearchRequest search = new SearchRequest(request.question(), request.mode(), request.k(), request.filters(), null);
        double floor = request.minSimilarity() != null ? request.minSimilarity() : collection.embedder().calibration().relevanceFloor();
        List<SearchHit> relevant = Retrieval.search(collection, search, true).hits().stream()
                .filter(h -> h.similarity() >= floor)
                .toList();
        if (relevant.isEmpty()) {
            String text = "I found nothing relevant to this question in the collection '" + collection.name()
                    + "', so I cannot answer it from its documents.";
            onText.accept(text);
            return new Answer(text, false, List.of(), List.of());
        }
        List<NumberedSource> candidates = new ArrayList<>();
        for (int i = 0; i < relevant.size(); i++) {
            candidates.add(new NumberedSource(i + 1, label(relevant.get(i)), relevant.get(i).text()));
        }
        AnswerPrompt prompt;
        try {
            prompt = AnswerPrompt.build(request.question(), candidates, model, request.maxTokens());
        } catch (IllegalArgumentException e) {
            throw new KnowledgeException(KnowledgeException.Reason.INVALID_ARGUMENT, e.getMessage(), e);
        }
        List<Citation> sources = new ArrayList<>();
        for (NumberedSource s : prompt.sources()) {
            sources.add(citation(s.number(), relevant.get(s.number() - 1)));
        }
        StringBuilder text = new StringBuilder();
        model.generate(prompt.text(), request.maxTokens(), piece -> {
            text.append(piece);
            onText.accept(piece);
        });
        List<Citation> cited = CitationMarkers.cited(text.toString(), sources.size()).stream()
                .map(n -> sources.get(n - 1))
                .toList();
        return new Answer(text.toString(), true, cited, sources);
    }

    /**
     * How the model sees a source's origin: {@code leave.md — Leave > Parental leave (page 3)}; the title stands in
     * for the heading path when there is none.
     */
    private static String label(SearchHit hit) {
        String name = hit.documentName();
        StringBuilder sb = new StringBuilder(name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1));
        if (!hit.headingPath().isEmpty()) {
            sb.append(" — ").append(String.join(" > ", hit.headingPath()));
        } else if (hit.title() != null) {
            sb.append(" — ").append(hit.title());
        }
        if (hit.pageStart() > 0) {
            sb.append(hit.pageEnd() > hit.pageStart() ? " (pages " + hit.pageStart() + "-" + hit.pageEnd() + ")"
                    : " (page " + hit.pageStart() + ")");
        }
        return sb.toString();
    }

    private static Citation citation(int number, SearchHit hit) {
        return new Citation(number, hit.documentId(), hit.documentName(), hit.chunk(), hit.start(), hit.end(),
                hit.pageStart(), hit.pageEnd(), hit.headingPath(), hit.text());
    }
}
