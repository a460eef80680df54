package dev.gantry.knowledge.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.knowledge.ingest.Chunk;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionIndexTest {
    @TempDir
    Path dir;

    private final SearchAnalyzer analyzer = new SearchAnalyzer();

    private static StoredDocument doc(String id, String hash, int chunks) {
        return new StoredDocument(id, id + ".txt", "text/plain", hash, null, 10, chunks, 0, chunks, Instant.EPOCH,
                Map.of("team", "ops"));
    }

    private static IndexedChunk chunk(int index, String text, float... vector) {
        return new IndexedChunk(new Chunk(index, index * 100, index * 100 + text.length(), text, List.of(), 0, 0, 1),
                text, vector);
    }

    @Test
    void documentAndChunksAreSearchableAfterPutAndSurviveReopening() throws Exception {
        try (CollectionIndex index = CollectionIndex.create(dir, 2, analyzer)) {
            index.put(doc("d1", "h1", 2), "full text", List.of(chunk(0, "backups run nightly", 1, 0),
                    chunk(1, "restores take an hour", 0, 1)));
        }
        try (CollectionIndex index = CollectionIndex.open(dir, 2, analyzer); IndexSnapshot s = index.snapshot()) {
            assertThat(s.documents()).extracting(StoredDocument::id, StoredDocument::metadata)
                    .containsExactly(org.assertj.core.api.Assertions.tuple("d1", Map.of("team", "ops")));
            assertThat(s.extractedText("d1")).contains("full text");
            List<RankedChunk> kw = s.keyword(s.queryTerms("how long do restores take?"), 5, Map.of());
            assertThat(kw).hasSize(1);
            assertThat(s.chunk(kw.getFirst().docId()).text()).isEqualTo("restores take an hour");
            List<RankedChunk> knn = s.vector(new float[] {1, 0.1f}, 1, Map.of("team", "ops"));
            assertThat(s.chunk(knn.getFirst().docId()).chunkIndex()).isZero();
            assertThat(s.cosine(knn.getFirst().docId(), new float[] {1, 0})).isEqualTo(1.0);
            assertThat(s.vector(new float[] {1, 0}, 1, Map.of("team", "hr"))).isEmpty();
        }
    }

    @Test
    void failedPutLeavesThePreviousVersionIntactAndNothingOfTheNewOne() throws Exception {
        try (CollectionIndex index = CollectionIndex.create(dir, 2, analyzer)) {
            index.put(doc("d1", "old", 1), "old text", List.of(chunk(0, "old chunk", 1, 0)));
            // the second chunk's vector has the wrong dimension: the whole new version must be rejected
            assertThatThrownBy(() -> index.put(doc("d1", "new", 2), "new text",
                    List.of(chunk(0, "new chunk zero", 1, 0), chunk(1, "new chunk one", 1, 0, 0))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3-dimensional");
            try (IndexSnapshot s = index.snapshot()) {
                assertThat(s.document("d1")).get().extracting(StoredDocument::contentHash).isEqualTo("old");
                assertThat(s.chunkCount()).isEqualTo(1);
                assertThat(s.keyword(s.queryTerms("new"), 5, Map.of())).isEmpty();
            }
            // and the index still takes writes after the failure
            index.put(doc("d2", "h2", 1), "t", List.of(chunk(0, "another", 0, 1)));
        }
        try (CollectionIndex index = CollectionIndex.open(dir, 2, analyzer); IndexSnapshot s = index.snapshot()) {
            assertThat(s.documents()).extracting(StoredDocument::id).containsExactly("d1", "d2");
        }
    }

    @Test
    void putReplacesAllChunksOfAnEarlierVersionAndDeleteRemovesEverything() throws Exception {
        try (CollectionIndex index = CollectionIndex.create(dir, 2, analyzer)) {
            index.put(doc("d1", "v1", 3), "v1", List.of(chunk(0, "a", 1, 0), chunk(1, "b", 1, 0), chunk(2, "c", 1, 0)));
            index.put(doc("d1", "v2", 1), "v2", List.of(chunk(0, "z", 1, 0)));
            try (IndexSnapshot s = index.snapshot()) {
                assertThat(s.chunkCount()).isEqualTo(1);
                assertThat(s.documentByHash("v1")).isEmpty();
                assertThat(s.documentByHash("v2")).isPresent();
            }
            assertThat(index.delete("d1")).isTrue();
            assertThat(index.delete("d1")).isFalse();
            try (IndexSnapshot s = index.snapshot()) {
                assertThat(s.chunkCount()).isZero();
                assertThat(s.documentCount()).isZero();
            }
        }
    }

    @Test
    void searchOnlyProcessDoesNotTakeTheWriteLock() throws Exception {
        try (CollectionIndex writer = CollectionIndex.create(dir, 2, analyzer);
             CollectionIndex reader = CollectionIndex.open(dir, 2, analyzer)) {
            writer.put(doc("d1", "h", 1), "t", List.of(chunk(0, "shared words", 1, 0)));
            try (IndexSnapshot s = reader.snapshot()) {
                assertThat(s.chunkCount()).isZero(); // opened before the commit; refreshes on its own next write
            }
            try (CollectionIndex late = CollectionIndex.open(dir, 2, analyzer); IndexSnapshot s = late.snapshot()) {
                assertThat(s.chunkCount()).isEqualTo(1);
            }
        }
    }

    @Test
    void highlightsAreTheSpansMatchingQueryTermsAfterStemming() {
        String text = "Backups are retained; retention is 30 days for backup tapes.";
        var terms = analyzer.terms("body", "How long is a backup retained?");
        assertThat(analyzer.matches("body", text, terms)).extracting(sp -> text.substring(sp.start(), sp.end()))
                .containsExactly("Backups", "retained", "backup");
    }
}
