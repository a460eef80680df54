package dev.gantry.server.knowledge;

import dev.gantry.knowledge.KnowledgeHub;

/**
 * The Knowledge Hub a server answers {@code /v1/knowledge} for. The caller opens the hub and closes it after the
 * server, as it does the model.
 *
 * @param hub            the hub
 * @param tenants        who a request acts for
 * @param maxUploadBytes upload bodies above this are refused with 413 before they are parsed; single documents
 *                       are also held to the hub's own {@code maxDocumentBytes}, per document in the job
 */
public record ServedKnowledge(KnowledgeHub hub, TenantResolver tenants, long maxUploadBytes) {

    /** 256 MiB: a few documents at the hub's default 64 MiB document limit, in one upload. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 256L << 20;

    public ServedKnowledge {
        if (hub == null || tenants == null) {
            throw new IllegalArgumentException("hub and tenant resolver are required");
        }
        if (maxUploadBytes < 1 || maxUploadBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the upload limit must be 1 byte .. 2 GiB, got " + maxUploadBytes);
        }
    }

    /** The hub for one tenant, {@link TenantResolver#DEFAULT_TENANT}, with the default upload limit. */
    public static ServedKnowledge of(KnowledgeHub hub) {
        return new ServedKnowledge(hub, TenantResolver.single(TenantResolver.DEFAULT_TENANT), DEFAULT_MAX_UPLOAD_BYTES);
    }

    public ServedKnowledge withTenants(TenantResolver resolver) {
        return new ServedKnowledge(hub, resolver, maxUploadBytes);
    }

    public ServedKnowledge withMaxUploadBytes(long bytes) {
        return new ServedKnowledge(hub, tenants, bytes);
    }
}
