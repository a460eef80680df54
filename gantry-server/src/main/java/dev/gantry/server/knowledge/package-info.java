/**
 * The Knowledge Hub over HTTP: {@code /v1/knowledge/collections} and below (collections, document uploads as
 * ingestion jobs, search, answers with citations, streamed as server-sent events). {@link
 * dev.gantry.server.knowledge.KnowledgeRoutes} maps each route one to one onto {@link
 * dev.gantry.knowledge.KnowledgeHub}; this package owns the wire records (snake_case, an {@code object} field as
 * OpenAI's resources have), the {@code multipart/form-data} reader, the {@link
 * dev.gantry.server.knowledge.TenantResolver} seam that scopes every call to a tenant, and the mapping of
 * {@link dev.gantry.knowledge.KnowledgeException}s onto OpenAI error bodies.
 *
 * <p>A collection of another tenant is reported as not found (404, never 403), so names do not leak between tenants.
 */
package dev.gantry.server.knowledge;
