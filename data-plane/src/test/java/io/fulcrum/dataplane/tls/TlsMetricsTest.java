package io.fulcrum.dataplane.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.testing.TestPki;
import io.fulcrum.config.testing.TestPki.Issued;
import io.fulcrum.dataplane.testing.Metrics;
import io.fulcrum.proto.v1.CertKey;
import io.fulcrum.proto.v1.Config;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** /metrics shows each cert-key's time left and whether it expires within 14 days, and the engine. */
@Timeout(60)
class TlsMetricsTest {
    @TempDir
    Path dir;

    @Test
    void expiringCertificateIsVisible() {
        TestPki pki = TestPki.create(dir, "Metrics CA");
        Issued soon = pki.issue("soon", 5, "soon.test");
        Issued later = pki.issue("later", 30, "later.test");
        Config config = Config.newBuilder()
                .addCertKeys(CertKey.newBuilder().setName("soon").setCert(soon.certPem()).setKey(soon.keyPem()))
                .addCertKeys(CertKey.newBuilder().setName("later").setCert(later.certPem()).setKey(later.keyPem())).build();
        PrometheusRegistry registry = new PrometheusRegistry();
        TlsMetrics.register(registry, () -> Optional.of(config), Clock.systemUTC());

        assertEquals(1, Metrics.value(registry, "fulcrum_cert_key_expiring", "cert_key", "soon"));
        assertEquals(0, Metrics.value(registry, "fulcrum_cert_key_expiring", "cert_key", "later"));
        double left = Metrics.value(registry, "fulcrum_cert_key_expiry_seconds", "cert_key", "soon");
        assertTrue(left > 4 * 86400 && left <= 5 * 86400, String.valueOf(left));
        assertEquals(1, Metrics.value(registry, "fulcrum_tls_engine_info", "engine", "openssl"));
        assertTrue(!Metrics.text(registry).contains("PRIVATE"));
    }
}
