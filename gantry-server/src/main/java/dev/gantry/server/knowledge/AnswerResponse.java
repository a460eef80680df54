package dev.gantry.server.knowledge;

import dev.gantry.knowledge.Answer;
import dev.gantry.knowledge.Citation;
import java.util.List;

/**
 * {@code knowledge.answer}: an answer and where it comes from. Each {@code [n]} in {@code answer} is the
 * {@code citations} entry with that {@code number}; {@code sources} lists every source the model was shown.
 *
 * @param relevantFound false when nothing relevant was retrieved: the model was not asked, and {@code answer} says so
 */
record AnswerResponse(String id, String object, long created, String model, String collection, String answer,
                      boolean relevantFound, List<CitationObject> citations, List<CitationObject> sources) {

    /**
     * Source {@code [number]}: its document, chunk, and the chunk's character range {@code [start, end)} in the
     * document's extracted text (pages for PDFs, 0 otherwise).
     */
    record CitationObject(int number, String documentId, String documentName, int chunk, int start, int end,
                          int pageStart, int pageEnd, List<String> headingPath, String text) {
        static CitationObject of(Citation c) {
            return new CitationObject(c.number(), c.documentId(), c.documentName(), c.chunk(), c.start(), c.end(),
                    c.pageStart(), c.pageEnd(), c.headingPath(), c.text());
        }
    }

    /** A streamed piece of the answer, {@code knowledge.answer.chunk}. */
    record Delta(String id, String object, String delta) {
        static Delta of(String id, String text) {
            return new Delta(id, "knowledge.answer.chunk", text);
        }
    }

    static AnswerResponse of(String id, long created, String model, String collection, Answer answer) {
        return of(id, "knowledge.answer", created, model, collection, answer);
    }

    /** The last event of a stream before {@code [DONE]}: the whole answer with its citations. */
    static AnswerResponse done(String id, long created, String model, String collection, Answer answer) {
        return of(id, "knowledge.answer.done", created, model, collection, answer);
    }

    private static AnswerResponse of(String id, String object, long created, String model, String collection,
                                     Answer answer) {
        return new AnswerResponse(id, object, created, model, collection, answer.text(), answer.relevantFound(),
                answer.citations().stream().map(CitationObject::of).toList(),
                answer.sources().stream().map(CitationObject::of).toList());
    }
}
