package dev.gantry.knowledge;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The hub's ingestion jobs: one background thread runs them in submission order (embedding saturates the cores by
 * itself, so jobs in parallel would only slow each other), and finished jobs are remembered for polling, the
 * oldest dropped past a limit.
 */
final class IngestJobs {
    private final int maxFinished;
    private final Map<String, IngestJob> jobs = new LinkedHashMap<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gantry-knowledge-ingest");
        t.setDaemon(true);
        return t;
    });

    IngestJobs(int maxFinished) {
        this.maxFinished = maxFinished;
    }

    /** Remembers the job and queues {@code work} for it; a job cancelled before its turn never starts. */
    void submit(IngestJob job, Runnable work) {
        synchronized (jobs) {
            jobs.put(job.id(), job);
            List<IngestJob> finished = jobs.values().stream().filter(j -> j.state().finished())
                    .sorted(Comparator.comparing(IngestJob::createdAt)).toList();
            for (int i = 0; i < finished.size() - maxFinished; i++) {
                jobs.remove(finished.get(i).id());
            }
        }
        thread.execute(() -> {
            if (job.cancelRequested()) {
                job.finished();
                return;
            }
            job.started();
            try {
                work.run();
                job.finished();
            } catch (RuntimeException e) {
                job.failed(e);
            }
        });
    }

    Optional<IngestJob> find(String tenant, String id) {
        synchronized (jobs) {
            IngestJob job = jobs.get(id);
            return job != null && job.tenant().equals(tenant) ? Optional.of(job) : Optional.empty();
        }
    }

    List<IngestJob> of(String tenant) {
        synchronized (jobs) {
            return jobs.values().stream().filter(j -> j.tenant().equals(tenant)).toList();
        }
    }

    /**
     * Cancels every job (a running one stops after the group it is writing) and waits for the thread. Never
     * interrupts: an interrupt inside Lucene's I/O would break its index writer.
     */
    void close() {
        synchronized (jobs) {
            jobs.values().forEach(IngestJob::cancel);
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new KnowledgeException(KnowledgeException.Reason.INTERNAL, "an ingestion job did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
