package io.fulcrum.dataplane.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one server group talks TLS to its servers in one config: the shared client context, the SNI
 * name (the server's host name unless the group sets one) and whether certificates are verified.
 * Immutable apart from the log throttle; used on any event loop.
 */
public final class Origination {
    private static final Logger log = LoggerFactory.getLogger(Origination.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String group;
    private final SslContext context;
    private final Object contextKey;
    private final String sni;
    private final boolean verify;
    private final String trust;
    /** When a failure (server + reason) was last logged, so a broken server logs once a minute, not per request. */
    private final Map<String, Long> logged = new ConcurrentHashMap<>();

    Origination(String group, SslContext context, ClientContextKey contextKey, String sni, boolean verify) {
        this.group = group;
        this.context = context;
        this.contextKey = contextKey;
        this.sni = sni;
        this.verify = verify;
        this.trust = contextKey.caNames().isEmpty() ? "the JDK trust store"
                : "ca-cert-key " + String.join(",", contextKey.caNames());
    }

    /** The key of the context used (for {@link ClientContexts#retain}). */
    public Object contextKey() {
        return contextKey;
    }

    SslContext context() {
        return context;
    }

    public boolean verifies() {
        return verify;
    }

    /**
     * The name sent as SNI and verified for a server at {@code address}: the group's sni, else
     * the host name the address was made from, else its IP (then no SNI is sent).
     */
    public String peerHost(InetSocketAddress address) {
        return sni != null ? sni : address.getHostString();
    }

    /**
     * Starts the TLS handshake on {@code channel}, connected to {@code server} at
     * {@code address} (whatever must go before TLS, such as a PROXY header, is already written).
     * The future succeeds with the channel once the handshake is done, or fails with a
     * {@link TlsHandshakeException} saying why, which is also logged (once a minute per server and
     * reason), naming the server and its group, unless {@code server} is null (health checks,
     * whose result carries the reason).
     */
    public Future<Channel> handshake(Channel channel, String server, InetSocketAddress address, int timeoutMs) {
        String host = peerHost(address);
        SslHandler handler = context.newHandler(channel.alloc(), host, address.getPort());
        handler.setHandshakeTimeoutMillis(timeoutMs);
        if (!isIp(host)) {
            // the engines send SNI only for names with a dot; a server named "backend" gets its name too
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            engine.setSSLParameters(parameters);
        }
        Promise<Channel> done = channel.eventLoop().newPromise();
        handler.handshakeFuture().addListener(handshake -> {
            if (handshake.isSuccess()) {
                done.trySuccess(channel);
                return;
            }
            String reason = reason(handshake.cause(), host, timeoutMs);
            if (server != null) {
                logOnce(server, address, host, reason);
            }
            done.tryFailure(new TlsHandshakeException("TLS: " + reason, handshake.cause()));
        });
        channel.pipeline().addFirst("tls", handler);
        return done;
    }

    private void logOnce(String server, InetSocketAddress address, String host, String reason) {
        long now = System.nanoTime();
        Long last = logged.get(server + reason);
        if (last == null || now - last > LOG_EVERY_NANOS) {
            logged.put(server + reason, now);
            String ip = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
            log.warn("TLS to server {} of server-group {} at {}:{} (sni {}) failed: {}", server, group, ip,
                    address.getPort(), sni != null || !isIp(host) ? host : "none", reason);
        }
    }

    /** The reason a handshake failed, in an operator's words. */
    String reason(Throwable cause, String host, int timeoutMs) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof SslHandshakeTimeoutException) {
                return "handshake timed out after " + timeoutMs + " ms";
            }
            if (c instanceof NotSslRecordException) {
                return "the server does not speak TLS (its answer is not a TLS record)";
            }
            if (c instanceof CertificateExpiredException) {
                return "the server's certificate has expired: " + c.getMessage();
            }
            if (c instanceof CertPathBuilderException || c instanceof CertPathValidatorException) {
                return "the server's certificate is not trusted: no chain to " + trust + " (" + c.getMessage() + ")";
            }
            if (c instanceof CertificateException && String.valueOf(c.getMessage()).startsWith("No ")) {
                return "the server's certificate does not name " + host + " (" + c.getMessage() + ")";
            }
            if (c instanceof ClosedChannelException) {
                return "the connection closed during the handshake (is it a TLS server?)";
            }
        }
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static boolean isIp(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }
}
