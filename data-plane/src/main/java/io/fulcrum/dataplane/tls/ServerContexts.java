package io.fulcrum.dataplane.tls;

import io.fulcrum.config.tls.Pem;
import io.fulcrum.proto.v1.CertKey;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The server SSL contexts of this data plane, one per cert-key material and protocol, shared by
 * every listener and config that uses the same material. A context no applied config uses is
 * released ({@link #retain}): native contexts hold memory outside the heap until released;
 * connections still using one keep it alive (their engines hold a reference) until they end.
 *
 * <p>Session tickets: every context gets ticket keys derived from its cert-key's private key
 * ({@link TicketKeys}), the same on every data plane, so a client resumes on any of them.
 *
 * <p>{@link #termination} and {@link #retain} are called by the config applier's thread only.
 */
public final class ServerContexts {
    private static final ApplicationProtocolConfig HTTP_ALPN = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_1_1);

    private final ContextCache<ServerContextKey> contexts = new ContextCache<>();
    private final Map<ServerContextKey, byte[]> ticketSecrets = new ConcurrentHashMap<>();
    private final Clock clock;

    /** @param clock when ticket-key periods begin and end ({@link TicketKeys}) */
    public ServerContexts(Clock clock) {
        this.clock = clock;
    }

    /**
     * The termination of a listener over {@code certKeys}, in order (the first is the fallback),
     * building the contexts it lacks.
     *
     * @param http ALPN offers http/1.1 (protocol http listeners)
     * @throws IllegalArgumentException naming the cert-key whose material the engine refuses
     */
    public SniTermination termination(List<CertKey> certKeys, boolean http) {
        SniTermination.Builder builder = SniTermination.builder();
        for (CertKey certKey : certKeys) {
            ServerContextKey key = ServerContextKey.of(certKey, http);
            SslContext context = contexts.get(key, k -> {
                SslContext built = build(certKey, http);
                byte[] secret = TicketKeys.secret(certKey.getKey());
                ticketSecrets.put(k, secret);
                TicketKeys.install(built, secret, clock.instant());
                return built;
            });
            builder.add(certKey.getName(), Pem.certificates(certKey.getCert()).get(0), context, key);
        }
        return builder.build();
    }

    /** Releases every context whose key is not in {@code used} (the keys of the config now applied). */
    public void retain(Set<Object> used) {
        contexts.retain(used);
        ticketSecrets.keySet().retainAll(used);
    }

    /**
     * Sets every context's session-ticket keys for the current period (a new period's key takes
     * over encryption). Called by a timer, at least every few minutes; thread-safe.
     */
    public void rotateTicketKeys() {
        contexts.forEach((key, context) -> {
            byte[] secret = ticketSecrets.get(key);
            if (secret != null) {
                TicketKeys.install(context, secret, clock.instant());
            }
        });
    }

    /** How many contexts are held (for tests: a replaced certificate must not leave one behind). */
    public int size() {
        return contexts.size();
    }

    private static SslContext build(CertKey certKey, boolean http) {
        List<X509Certificate> chain = Pem.certificates(certKey.getCert());
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(Pem.privateKey(certKey.getKey()),
                    chain.toArray(X509Certificate[]::new)).sslProvider(TlsEngine.provider())
                    .protocols("TLSv1.3", "TLSv1.2");
            if (http) {
                builder.applicationProtocolConfig(HTTP_ALPN);
            }
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            // the engine's message, never the material
            throw new IllegalArgumentException("cert-key " + certKey.getName() + ": the TLS engine refuses it: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }
}
