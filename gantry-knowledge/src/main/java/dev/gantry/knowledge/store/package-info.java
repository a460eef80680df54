/**
 * Where collections live on disk: {@code <root>/tenants/<tenant>/<collection>/} holding {@code collection.json}
 * (the {@link dev.gantry.knowledge.store.CollectionManifest}) and {@code index/} (the Lucene index). A collection
 * exists once its manifest is written, which happens last and atomically.
 */
package dev.gantry.knowledge.store;
