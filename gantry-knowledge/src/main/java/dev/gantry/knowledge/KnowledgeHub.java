package dev.gantry.knowledge;

import dev.gantry.knowledge.KnowledgeException.Reason;
import dev.gantry.knowledge.answer.AnswerModel;
import dev.gantry.knowledge.embed.Embedder;
import dev.gantry.knowledge.index.CollectionIndex;
import dev.gantry.knowledge.index.IndexSnapshot;
import dev.gantry.knowledge.index.SearchAnalyzer;
import dev.gantry.knowledge.index.StoredChunk;
import dev.gantry.knowledge.ingest.DocumentReaders;
import dev.gantry.knowledge.store.CollectionManifest;
import dev.gantry.knowledge.store.CollectionStore;
import dev.gantry.knowledge.store.Names;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * The Knowledge Hub facade: collections, documents, search and answers, every call scoped to a tenant. The HTTP
 * API maps one to one: {@code /v1/knowledge/collections} (create, list, get, delete), {@code .../documents}
 * (upload = {@link #ingest}, list, get, delete), {@code .../jobs/{id}} ({@link #job}), {@code .../search},
 * {@code .../answer} (the {@code onText} callback feeds SSE).
 *
 * <p>Thread-safe. Ingestion jobs run one at a time on one background thread ({@link IngestJobs}); searches and
 * answers run on the caller's thread. Close the hub to stop the jobs and close the indexes.
 */
public final class KnowledgeHub implements AutoCloseable {
    private final KnowledgeConfig config;
    private final CollectionStore store;
    private final SearchAnalyzer analyzer = new SearchAnalyzer();
    private final Ingestion ingestion;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, OpenCollection> open = new ConcurrentHashMap<>();
    private final IngestJobs jobs;

    private KnowledgeHub(KnowledgeConfig config) {
        this.config = config;
        this.store = new CollectionStore(config.root());
        this.ingestion = new Ingestion(new DocumentReaders(config.maxDocumentBytes()), config.embedBatchSize(), clock);
        this.jobs = new IngestJobs(config.maxFinishedJobs());
    }

    public static KnowledgeHub open(KnowledgeConfig config) {
        return new KnowledgeHub(config);
    }

    // ---- collections

    public CollectionInfo createCollection(String tenant, String name, CollectionSettings settings) {
        validNames(tenant, name);
        String model = settings.embeddingModel() != null ? settings.embeddingModel() : config.embedders().defaultId();
        Embedder embedder = embedder(model);
        if (settings.chunkTokens() > embedder.maxInputTokens()) {
            throw new KnowledgeException(Reason.INVALID_ARGUMENT, "chunk size " + settings.chunkTokens()
                    + " is over the " + embedder.maxInputTokens() + "-token input of embedding model '" + model + "'");
        }
        CollectionManifest manifest = new CollectionManifest(tenant, name, settings.description(), model,
                embedder.dimension(), settings.chunkTokens(), settings.chunkOverlap(), clock.instant().toString());
        try {
            store.claim(tenant, name);
            CollectionIndex.create(store.indexPath(tenant, name), embedder.dimension(), analyzer).close();
            store.writeManifest(manifest);
        } catch (FileAlreadyExistsException e) {
            throw new KnowledgeException(Reason.ALREADY_EXISTS, "collection '" + name + "' already exists");
        } catch (IOException e) {
            throw storage("creating collection '" + name + "'", e);
        }
        return info(manifest);
    }

    public List<CollectionInfo> listCollections(String tenant) {
        validTenant(tenant);
        try {
            return store.list(tenant).stream().map(this::info).toList();
        } catch (IOException e) {
            throw storage("listing collections", e);
        }
    }

    public CollectionInfo collection(String tenant, String name) {
        return info(manifest(tenant, name));
    }

    public void deleteCollection(String tenant, String name) {
        validNames(tenant, name);
        synchronized (open) {
            OpenCollection c = open.remove(key(tenant, name));
            try {
                if (c != null) {
                    c.index().close();
                }
                if (!store.delete(tenant, name)) {
                    throw notFound(name);
                }
            } catch (IOException e) {
                throw storage("deleting collection '" + name + "'", e);
            }
        }
    }

    // ---- documents

    /** Starts ingesting {@code inputs} into a collection; the job runs in the background. */
    public IngestJob ingest(String tenant, String collection, List<DocumentInput> inputs) {
        manifest(tenant, collection);
        IngestJob job = new IngestJob(UUID.randomUUID().toString(), tenant, collection, inputs.size(), clock.instant());
        List<DocumentInput> batch = List.copyOf(inputs);
        jobs.submit(job, () -> ingestion.run(job, batch, () -> openCollection(tenant, collection)));
        return job;
    }

    /** A job of this tenant, while it runs and for a while after. */
    public Optional<IngestJob> job(String tenant, String jobId) {
        return jobs.find(tenant, jobId);
    }

    public List<IngestJob> jobs(String tenant) {
        return jobs.of(tenant);
    }

    public List<DocumentInfo> listDocuments(String tenant, String collection) {
        return read(tenant, collection, s -> s.documents().stream().map(DocumentInfo::of).toList());
    }

    public DocumentInfo document(String tenant, String collection, String documentId) {
        return read(tenant, collection, s -> s.document(documentId).map(DocumentInfo::of)
                .orElseThrow(() -> documentNotFound(documentId, collection)));
    }

    /** A document's chunks in order, with their offsets into {@link #documentText}. */
    public List<StoredChunk> documentChunks(String tenant, String collection, String documentId) {
        return read(tenant, collection, s -> {
            if (s.document(documentId).isEmpty()) {
                throw documentNotFound(documentId, collection);
            }
            return s.chunks(documentId);
        });
    }

    /** The text chunk and citation offsets point into. */
    public String documentText(String tenant, String collection, String documentId) {
        return read(tenant, collection, s -> s.extractedText(documentId)
                .orElseThrow(() -> documentNotFound(documentId, collection)));
    }

    public void deleteDocument(String tenant, String collection, String documentId) {
        try {
            if (!openCollection(tenant, collection).index().delete(documentId)) {
                throw documentNotFound(documentId, collection);
            }
        } catch (IOException e) {
            throw storage("deleting document " + documentId, e);
        }
    }

    // ---- search and answers

    public SearchResult search(String tenant, String collection, SearchRequest request) {
        try {
            return Retrieval.search(openCollection(tenant, collection), request, false);
        } catch (IOException e) {
            throw storage("searching '" + collection + "'", e);
        }
    }

    /**
     * Answers a question from a collection's documents, streaming the answer's text to {@code onText} as the model
     * writes it, and returns it with its citations. When nothing relevant is found, {@code onText} gets a message
     * saying so and the model is not called.
     */
    public Answer answer(String tenant, String collection, AnswerRequest request, AnswerModel model,
                         Consumer<String> onText) {
        try {
            return Answering.answer(openCollection(tenant, collection), request, model, onText);
        } catch (IOException e) {
            throw storage("answering from '" + collection + "'", e);
        }
    }

    // ---- internals

    private interface SnapshotRead<T> {
        T apply(IndexSnapshot snapshot) throws IOException;
    }

    private <T> T read(String tenant, String collection, SnapshotRead<T> action) {
        try (IndexSnapshot s = openCollection(tenant, collection).index().snapshot()) {
            return action.apply(s);
        } catch (IOException e) {
            throw storage("reading '" + collection + "'", e);
        }
    }

    private OpenCollection openCollection(String tenant, String name) {
        String key = key(tenant, name);
        OpenCollection c = open.get(key);
        if (c != null) {
            return c;
        }
        synchronized (open) {
            c = open.get(key);
            if (c == null) {
                CollectionManifest manifest = manifest(tenant, name);
                Embedder embedder = embedder(manifest.embeddingModel());
                if (embedder.dimension() != manifest.dimension()) {
                    throw new KnowledgeException(Reason.CONFLICT, "collection '" + name + "' holds "
                            + manifest.dimension() + "-dimensional vectors but model '" + embedder.id() + "' makes "
                            + embedder.dimension());
                }
                try {
                    c = new OpenCollection(manifest, CollectionIndex.open(store.indexPath(tenant, name),
                            manifest.dimension(), analyzer), embedder);
                } catch (LockObtainFailedException e) {
                    throw new KnowledgeException(Reason.CONFLICT, "collection '" + name + "' is locked by another process", e);
                } catch (IOException e) {
                    throw storage("opening collection '" + name + "'", e);
                }
                open.put(key, c);
            }
            return c;
        }
    }

    private CollectionManifest manifest(String tenant, String name) {
        validNames(tenant, name);
        try {
            return store.read(tenant, name).orElseThrow(() -> notFound(name));
        } catch (IOException e) {
            throw storage("reading collection '" + name + "'", e);
        }
    }

    private CollectionInfo info(CollectionManifest m) {
        int documents;
        int chunks;
        try (IndexSnapshot s = openCollection(m.tenant(), m.name()).index().snapshot()) {
            documents = s.documentCount();
            chunks = s.chunkCount();
        } catch (IOException e) {
            throw storage("reading collection '" + m.name() + "'", e);
        }
        return new CollectionInfo(m.tenant(), m.name(),
                new CollectionSettings(m.embeddingModel(), m.chunkTokens(), m.chunkOverlap(), m.description()),
                m.dimension(), Instant.parse(m.createdAt()), documents, chunks);
    }

    private Embedder embedder(String model) {
        return config.embedders().find(model).orElseThrow(() -> new KnowledgeException(Reason.INVALID_ARGUMENT,
                "unknown embedding model '" + model + "' (available: " + config.embedders().ids() + ")"));
    }

    private static void validNames(String tenant, String name) {
        validTenant(tenant);
        try {
            Names.collection(name);
        } catch (IllegalArgumentException e) {
            throw new KnowledgeException(Reason.INVALID_ARGUMENT, e.getMessage());
        }
    }

    private static void validTenant(String tenant) {
        try {
            Names.tenant(tenant);
        } catch (IllegalArgumentException e) {
            throw new KnowledgeException(Reason.INVALID_ARGUMENT, e.getMessage());
        }
    }

    private static String key(String tenant, String name) {
        return tenant + "/" + name;
    }

    private static KnowledgeException notFound(String name) {
        return new KnowledgeException(Reason.NOT_FOUND, "no collection '" + name + "'");
    }

    private static KnowledgeException documentNotFound(String id, String collection) {
        return new KnowledgeException(Reason.NOT_FOUND, "no document '" + id + "' in collection '" + collection + "'");
    }

    private static KnowledgeException storage(String what, IOException e) {
        return new KnowledgeException(Reason.INTERNAL, what + " failed: " + e.getMessage(), e);
    }

    /** Cancels queued and running jobs (see {@link IngestJob#cancel()}), waits for them, closes every open index. */
    @Override
    public void close() {
        jobs.close();
        List<IOException> failures = new ArrayList<>();
        synchronized (open) {
            for (OpenCollection c : open.values()) {
                try {
                    c.index().close();
                } catch (IOException e) {
                    failures.add(e);
                }
            }
            open.clear();
        }
        if (!failures.isEmpty()) {
            throw new KnowledgeException(Reason.INTERNAL, "closing indexes failed: " + failures.getFirst().getMessage(),
                    failures.getFirst());
        }
    }
}
