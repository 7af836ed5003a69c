package io.fulcrum.dataplane.tls;

import io.fulcrum.config.tls.CertInfo;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How one listener terminates TLS in one config: the certificate for a client's SNI name is the
 * first cert-key (in the listener's order) with that exact name, else with a wildcard covering
 * it ({@code *.example.com} covers {@code a.example.com}), else the first cert-key. Immutable; a
 * certificate change builds a new one, which new connections get at accept.
 */
public final class SniTermination {
    private final Mapping<String, SslContext> mapping;
    private final Set<Object> contextKeys;
    private final List<String> certKeys;

    private SniTermination(Mapping<String, SslContext> mapping, Set<Object> contextKeys, List<String> certKeys) {
        this.mapping = mapping;
        this.contextKeys = Set.copyOf(contextKeys);
        this.certKeys = List.copyOf(certKeys);
    }

    static Builder builder() {
        return new Builder();
    }

    /** A new handler for one accepted connection: reads the ClientHello's SNI and starts the handshake. */
    public SniHandler newHandler() {
        return new SniHandler(mapping);
    }

    /** The context for {@code hostname} (null: no SNI), as a handshake would pick it. */
    public SslContext contextFor(String hostname) {
        return mapping.map(hostname);
    }

    /** The keys of the contexts this termination uses (for {@link ServerContexts#retain}). */
    public Set<Object> contextKeys() {
        return contextKeys;
    }

    /** The cert-key names, in the listener's order. */
    public List<String> certKeys() {
        return certKeys;
    }

    static final class Builder {
        private DomainWildcardMappingBuilder<SslContext> mapping;
        private final Set<String> names = new HashSet<>();
        private final Set<Object> keys = new LinkedHashSet<>();
        private final List<String> certKeys = new java.util.ArrayList<>();

        void add(String certKey, X509Certificate leaf, SslContext context, Object key) {
            if (mapping == null) {
                mapping = new DomainWildcardMappingBuilder<>(context);
            }
            for (String name : CertInfo.dnsNames(leaf)) {
                if (names.add(name)) { // an earlier cert-key with the same name wins
                    mapping.add(name, context);
                }
            }
            keys.add(key);
            certKeys.add(certKey);
        }

        SniTermination build() {
            if (mapping == null) {
                throw new IllegalStateException("a TLS listener needs at least one cert-key");
            }
            return new SniTermination(mapping.build(), keys, certKeys);
        }
    }
}
