package io.fulcrum.dataplane.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The TLS engine of this process, chosen once: BoringSSL when netty-tcnative loads, else the JDK's. */
public final class TlsEngine {
    private static final Logger log = LoggerFactory.getLogger(TlsEngine.class);
    private static volatile SslProvider provider;

    private TlsEngine() {
    }

    /** The provider every context of this process uses; logs which, once. */
    public static SslProvider provider() {
        SslProvider chosen = provider;
        if (chosen == null) {
            synchronized (TlsEngine.class) {
                if (provider == null) {
                    provider = choose();
                }
                chosen = provider;
            }
        }
        return chosen;
    }

    private static SslProvider choose() {
        if (OpenSsl.isAvailable()) {
            log.info("TLS engine: {} (netty-tcnative), native", OpenSsl.versionString());
            return SslProvider.OPENSSL_REFCNT;
        }
        log.warn("TLS engine: JDK {} (netty-tcnative did not load: {}); handshakes are about 3x slower",
                System.getProperty("java.version"), String.valueOf(OpenSsl.unavailabilityCause()));
        return SslProvider.JDK;
    }
}
