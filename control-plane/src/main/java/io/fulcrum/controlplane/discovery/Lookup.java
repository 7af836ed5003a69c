package io.fulcrum.controlplane.discovery;

import io.fulcrum.config.schema.DiscoverySettings;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Resolves a discovery source once. Implementations are thread-safe. */
interface Lookup extends AutoCloseable {
    /**
     * The servers {@code settings}' source answers with now, each name once and each address
     * once; empty for an empty answer (NXDOMAIN or no records). Fails with
     * {@link LookupFailedException} when no resolver gave an answer (timeout, SERVFAIL, refused).
     */
    CompletableFuture<List<DiscoveredServer>> lookup(DiscoverySettings settings);

    @Override
    void close();
}
