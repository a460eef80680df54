package dev.gantry.server.knowledge;

import java.util.Map;
import java.util.Optional;

/**
 * Which tenant a request acts for; the Knowledge Hub only ever sees the returned id. The server has no tenant
 * store yet ({@code server.tenancy} will own one, mapping API keys to tenants); this is the seam it plugs into.
 * Today's server has at most one API key, so it serves one tenant: {@link #single} with {@link #DEFAULT_TENANT}.
 */
@FunctionalInterface
public interface TenantResolver {

    /**
     * The tenant of a single-tenant server: the same id the CLI's {@code --tenant} defaults to, so collections
     * built with {@code gantry ingest} are the ones {@code gantry serve} answers from.
     */
    String DEFAULT_TENANT = "local";

    /**
     * @param apiKey the bearer token the request presented (already checked when the server requires a key), or
     *               empty when it sent none
     * @return a tenant id valid for the Knowledge Hub (1-64 of {@code a-z 0-9 _ -})
     */
    String tenant(Optional<String> apiKey);

    /** Every request acts for {@code tenant}. */
    static TenantResolver single(String tenant) {
        return key -> tenant;
    }

    /** A key's tenant from {@code tenantsByKey}; requests with no key, or a key not listed, act for {@code fallback}. */
    static TenantResolver byApiKey(Map<String, String> tenantsByKey, String fallback) {
        Map<String, String> copy = Map.copyOf(tenantsByKey);
        return key -> key.map(copy::get).orElse(fallback);
    }
}
