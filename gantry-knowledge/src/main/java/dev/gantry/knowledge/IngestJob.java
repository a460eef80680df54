package dev.gantry.knowledge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        FAILED;

        public boolean finished() {
            return this == SUCCEEDED || this == COMPLETED_WITH_ERRORS || this == FAILED;
        }
    }

    private final String id;
    private final String tenant;
    private final String collection;
    private final Instant createdAt;
    private final int documentsTotal;
    private final List<DocumentOutcome> outcomes = new ArrayList<>();
    private final CompletableFuture<List<DocumentOutcome>> done = new CompletableFuture<>();
    private State state = State.QUEUED;
    private int chunksDone;
    private int chunksTotal;
    private String error;

    IngestJob(String id, String tenant, String collection, int documentsTotal, Instant createdAt) {
        this.id = id;
        this.tenant = tenant;
        this.collection = collection;
        this.documentsTotal = documentsTotal;
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
        return new IngestProgress(outcomes.size(), documentsTotal, chunksDone, chunksTotal);
    }

    /** Outcomes of the documents done so far, in input order. */
    public synchronized List<DocumentOutcome> outcomes() {
        return List.copyOf(outcomes);
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

    synchronized void started() {
        state = State.RUNNING;
    }

    synchronized void chunksFound(int count) {
        chunksTotal += count;
    }

    synchronized void chunksEmbedded(int count) {
        chunksDone += count;
    }

    synchronized void documentDone(DocumentOutcome outcome) {
        outcomes.add(outcome);
    }

    void finished() {
        List<DocumentOutcome> result;
        synchronized (this) {
            state = outcomes.stream().anyMatch(DocumentOutcome::failed) ? State.COMPLETED_WITH_ERRORS : State.SUCCEEDED;
            result = List.copyOf(outcomes);
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
