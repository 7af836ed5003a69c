package io.fulcrum.dataplane.tls;

import io.fulcrum.config.tls.CertInfo;
import io.fulcrum.config.tls.PemException;
import io.fulcrum.proto.v1.CertKey;
import io.fulcrum.proto.v1.Config;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The TLS side of a data plane's /metrics: per cert-key of the applied config, the seconds until
 * its certificate expires and whether that is within {@link CertInfo#EXPIRING} (1) or not (0);
 * and the engine in use. Read at scrape time from the applied config.
 */
public final class TlsMetrics {
    private TlsMetrics() {
    }

    public static void register(PrometheusRegistry registry, Supplier<Optional<Config>> applied, Clock clock) {
        GaugeWithCallback.builder().name("fulcrum_cert_key_expiry_seconds")
                .help("seconds until the cert-key's certificate expires (negative: expired)").labelNames("cert_key")
                .callback(cb -> leaves(applied).forEach(l -> cb.call(
                        Duration.between(clock.instant(), l.info().notAfter()).toSeconds(), l.name()))).register(registry);
        GaugeWithCallback.builder().name("fulcrum_cert_key_expiring")
                .help("1 if the cert-key's certificate expires within 14 days or has expired, else 0").labelNames("cert_key")
                .callback(cb -> leaves(applied).forEach(l -> cb.call(l.info().expiring(clock.instant()) ? 1 : 0, l.name())))
                .register(registry);
        GaugeWithCallback.builder().name("fulcrum_tls_engine_info").help("the TLS engine: openssl (BoringSSL) or jdk")
                .labelNames("engine").callback(cb -> cb.call(1, TlsEngine.provider().name().startsWith("OPENSSL")
                        ? "openssl" : "jdk")).register(registry);
    }

    private record Leaf(String name, CertInfo info) {
    }

    private static List<Leaf> leaves(Supplier<Optional<Config>> applied) {
        return applied.get().map(config -> config.getCertKeysList().stream().map(TlsMetrics::leaf)
                .filter(l -> l != null).toList()).orElse(List.of());
    }

    private static Leaf leaf(CertKey certKey) {
        try {
            return new Leaf(certKey.getName(), CertInfo.ofPem(certKey.getCert()));
        } catch (PemException e) {
            return null;
        }
    }
}
