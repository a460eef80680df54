package dev.gantry.knowledge;

import dev.gantry.knowledge.embed.Embedder;
import dev.gantry.knowledge.index.CollectionIndex;
import dev.gantry.knowledge.ingest.Chunker;
import dev.gantry.knowledge.ingest.ChunkingPolicy;
import dev.gantry.knowledge.store.CollectionManifest;

/** A collection whose index is open: its manifest, index, embedder and chunker, as the hub caches them. */
record OpenCollection(CollectionManifest manifest, CollectionIndex index, Embedder embedder) {

    Chunker chunker() {
        return new Chunker(embedder, new ChunkingPolicy(manifest.chunkTokens(), manifest.chunkOverlap()));
    }

    String name() {
        return manifest.name();
    }
}
