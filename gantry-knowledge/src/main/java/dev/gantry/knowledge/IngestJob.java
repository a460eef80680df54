package dev.gantry.knowledge;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An asynchronous ingestion of a batch of documents into one collection: poll {@link #progress()} and
 * {@link #state()}, or {@link #await()} the outcomes. Each document is indexed atomically on its own, so a failed
 * document leaves nothing behind and does not stop the others.
 */
public final class IngestJob {

    /** Where a job is in its life. */
    public enum State {
        QUEUED,
        RUNNING,
        /** Every document was ingested (added, replaced, unchanged or duplicate). */
        SUCCEEDED,
        /** Finished, but some documents failed. */
        COMPLETED_WITH_ERRORS,
        /** The job itself failed (the collection was deleted, storage broke); see {@link #error()}. */
        FAILED,
        /** Cancelled: documents done before stay ingested, the rest were not touched. */
        CANCELLED;

        public boolean finished() {
            return this != QUEUED && this != RUNNING;
        }
    }

    private final String id;
    private final String tenant;
    private final String collection;
    private final Instant createdAt;
    private final int documentsTotal;
    private final DocumentOutcome[] outcomes;
    private int documentsDone;
    private final CompletableFuture<List<DocumentOutcome>> done = new CompletableFuture<>();
    private State state = State.QUEUED;
    private int chunksDone;
    private int chunksTotal;
    private String error;
    private volatile boolean cancelRequested;

    IngestJob(String id, String tenant, String collection, int documentsTotal, Instant createdAt) {
        this.id = id;
        this.tenant = tenant;
        this.collection = collection;
        this.documentsTotal = documentsTotal;
        this.outcomes = new DocumentOutcome[documentsTotal];
        this.createdAt = createdAt;
    }

    public String id() {
        return id;
    }

    public String tenant() {
        return tenant;
    }

    public String collection() {
        return collection;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized IngestProgress progress() {
        return new IngestProgress(documentsDone, documentsTotal, chunksDone, chunksTotal);
    }

    /** Outcomes of the documents done so far, in input order (documents still in progress are absent). */
    public synchronized List<DocumentOutcome> outcomes() {
        return Arrays.stream(outcomes).filter(Objects::nonNull).toList();
    }

    /** Why the job failed as a whole, or null. */
    public synchronized String error() {
        return error;
    }

    /** Waits for the job to finish and returns every document's outcome. */
    public List<DocumentOutcome> await() throws InterruptedException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw new KnowledgeException(KnowledgeException.Reason.INTERNAL, "ingestion job " + id + " failed: " + error, e);
        }
    }

    /** Waits at most {@code timeout}; returns false when the job is still running. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            done.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /**
     * Asks the job to stop after the document group it is writing (written documents stay; a group is never cut
     * in half). Returns at once; {@link #await()} tells when it stopped.
     */
    public void cancel() {
        cancelRequested = true;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    synchronized void started() {
        state = State.RUNNING;
    }

    synchronized void chunksFound(int count) {
        chunksTotal += count;
    }

    synchronized void chunksEmbedded(int count) {
        chunksDone += count;
    }

    /** Records the outcome of the document at {@code slot} (its index in the input). */
    synchronized void documentDone(int slot, DocumentOutcome outcome) {
        if (outcomes[slot] == null) {
            documentsDone++;
        }
        outcomes[slot] = outcome;
    }

    void finished() {
        List<DocumentOutcome> result;
        synchronized (this) {
            result = outcomes();
            state = result.size() < documentsTotal ? State.CANCELLED
                    : result.stream().anyMatch(DocumentOutcome::failed) ? State.COMPLETED_WITH_ERRORS : State.SUCCEEDED;
        }
        done.complete(result);
    }

    void failed(Throwable cause) {
        synchronized (this) {
            state = State.FAILED;
            error = cause.getMessage();
        }
        done.completeExceptionally(cause);
    }
}
