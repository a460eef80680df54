package dev.gantry.server.knowledge;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gantry.knowledge.DocumentOutcome;
import dev.gantry.knowledge.IngestJob;
import dev.gantry.knowledge.IngestProgress;
import dev.gantry.knowledge.ingest.DocumentRejectedException.Problem;
import java.util.List;
import java.util.Locale;

/**
 * {@code knowledge.ingest_job}: an upload being ingested. Poll it until {@code status} is final: {@code succeeded},
 * {@code completed_with_errors} (see each document's {@code error}), {@code failed} (the job as a whole; see
 * {@code error}) or {@code cancelled}. {@code documents} lists the outcomes known so far, in upload order.
 *
 * @param error why the job as a whole failed, or null
 */
record JobObject(String id, String object, String collection, String status, long createdAt, Progress progress,
                 List<Outcome> documents, String error) {

    static final String OBJECT = "knowledge.ingest_job";

    /** Documents and chunks done; {@code chunks_total} grows while documents are read. */
    record Progress(int documentsDone, int documentsTotal, int chunksDone, int chunksTotal) {
        static Progress of(IngestProgress p) {
            return new Progress(p.documentsDone(), p.documentsTotal(), p.chunksDone(), p.chunksTotal());
        }
    }

    /**
     * One document's outcome: {@code added}, {@code replaced}, {@code unchanged}, {@code duplicate} (of the
     * {@code document_id} given) or {@code failed}, with an {@code error}.
     */
    record Outcome(String name, String status, String documentId, int chunks,
                   @JsonInclude(JsonInclude.Include.NON_NULL) OutcomeError error) {
        static Outcome of(DocumentOutcome o) {
            return new Outcome(o.name(), lower(o.status()), o.documentId(), o.chunks(),
                    o.failed() ? OutcomeError.of(o.problem(), o.error()) : null);
        }
    }

    /**
     * Why one document failed, with the HTTP status a request for it alone would have had: an unsupported type is
     * 415, an oversized document 413, one that cannot be parsed or holds no text 422, anything else 500.
     */
    record OutcomeError(int status, String code, String message) {
        static OutcomeError of(Problem problem, String message) {
            if (problem == null) {
                return new OutcomeError(500, "internal_error", message);
            }
            return switch (problem) {
                case UNSUPPORTED_TYPE -> new OutcomeError(415, "unsupported_media_type", message);
                case TOO_LARGE -> new OutcomeError(413, "document_too_large", message);
                case UNREADABLE -> new OutcomeError(422, "unreadable_document", message);
                case EMPTY -> new OutcomeError(422, "empty_document", message);
            };
        }
    }

    static JobObject of(IngestJob job) {
        return new JobObject(job.id(), OBJECT, job.collection(), lower(job.state()), job.createdAt().getEpochSecond(),
                Progress.of(job.progress()), job.outcomes().stream().map(Outcome::of).toList(), job.error());
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
