package io.fulcrum.dataplane.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SSL contexts by what makes two of them the same, built on first use and released once no
 * applied config uses them (native contexts hold memory outside the heap until released;
 * connections still using one keep it alive until they end). Thread-safe (the applier builds and
 * releases, a timer rotates ticket keys).
 */
final class ContextCache<K> {
    private static final Logger log = LoggerFactory.getLogger(ContextCache.class);
    private final Map<K, SslContext> contexts = new HashMap<>();

    /** The context for {@code key}, built by {@code build} (which may throw) when there is none. */
    synchronized SslContext get(K key, Function<K, SslContext> build) {
        SslContext context = contexts.get(key);
        if (context == null) {
            context = build.apply(key);
            contexts.put(key, context);
            log.info("TLS context {} built", key);
        }
        return context;
    }

    /** Releases every context whose key is not in {@code used}. */
    synchronized void retain(Set<Object> used) {
        for (Iterator<Map.Entry<K, SslContext>> it = contexts.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, SslContext> entry = it.next();
            if (!used.contains(entry.getKey())) {
                it.remove();
                ReferenceCountUtil.release(entry.getValue());
                log.info("TLS context {} released", entry.getKey());
            }
        }
    }

    /** Runs {@code action} on every held context (from any thread; the cache is locked meanwhile). */
    synchronized void forEach(BiConsumer<K, SslContext> action) {
        contexts.forEach(action);
    }

    synchronized int size() {
        return contexts.size();
    }
}
