package io.fulcrum.dataplane.tls;

import io.fulcrum.config.tls.Pem;
import io.fulcrum.proto.v1.CertKey;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The client SSL contexts of this data plane's server groups (origination), one per trust
 * setting, shared by every group and config with the same one and released when none uses it
 * ({@link #retain}). A context is built once per trust setting, never per connection.
 *
 * <p>Called by the config applier's thread only.
 */
public final class ClientContexts {
    private final ContextCache<ClientContextKey> contexts = new ContextCache<>();

    /**
     * How {@code group} talks TLS to its servers.
     *
     * @param cas    the cert-keys whose certificates are trusted; empty: the JDK's trust store
     * @param sni    the name sent and verified; null: each server's host name
     * @param verify false: any certificate is accepted (tls-verify insecure-skip-verify)
     * @throws IllegalArgumentException naming the cert-key the engine refuses
     */
    public Origination origination(String group, List<CertKey> cas, String sni, boolean verify) {
        ClientContextKey key = ClientContextKey.of(cas, verify);
        SslContext context = contexts.get(key, k -> build(cas, verify));
        return new Origination(group, context, key, sni, verify);
    }

    /** Releases every context whose key is not in {@code used} (the keys of the config now applied). */
    public void retain(Set<Object> used) {
        contexts.retain(used);
    }

    /** How many contexts are held (for tests). */
    public int size() {
        return contexts.size();
    }

    private static SslContext build(List<CertKey> cas, boolean verify) {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(TlsEngine.provider())
                .protocols("TLSv1.3", "TLSv1.2");
        if (!verify) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else {
            // RFC 6125 name checks against the SNI name or the server's host (an IP: its IP SANs)
            builder.endpointIdentificationAlgorithm("HTTPS");
            if (!cas.isEmpty()) {
                List<X509Certificate> anchors = new ArrayList<>();
                cas.forEach(ca -> anchors.addAll(Pem.certificates(ca.getCert())));
                builder.trustManager(anchors);
            }
        }
        try {
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            String names = String.join(",", cas.stream().map(CertKey::getName).toList());
            throw new IllegalArgumentException("ca-cert-key " + (names.isEmpty() ? "none" : names)
                    + ": the TLS engine refuses it: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }
}
