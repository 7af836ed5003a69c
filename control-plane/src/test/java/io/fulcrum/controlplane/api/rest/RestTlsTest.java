package io.fulcrum.controlplane.api.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fulcrum.config.testing.Preconditions;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.controlplane.testing.RestClient;
import io.fulcrum.controlplane.testing.SelfSigned;
import io.fulcrum.controlplane.testing.TestCluster;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** With --tls-cert the REST API is HTTPS with the gRPC API's certificate, and plain HTTP gets no answer. */
@Timeout(120)
class RestTlsTest {
    @Test
    void theRestApiServesHttpsWithTheApiCertificate(@TempDir Path dir) throws Exception {
        Preconditions.requireExecutable("/usr/bin/openssl", "apt-get install openssl");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        SelfSigned.loopback(cert, key);
        try (TestCluster cluster = TestCluster.start(dir.resolve("cluster"), 1,
                b -> b.tls(cert.toString(), key.toString(), null).rest(Ports.loopback()))) {
            String address = cluster.leader().restAddress();
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).connectTimeout(Duration.ofSeconds(10)).build();
            RestClient rest = new RestClient("https://" + address, cluster.tokens().operator(), https);
            assertEquals(201, rest.post("/api/v1/module/upstream", "{\"name\":\"over-tls\"}").statusCode());
            assertEquals(200, rest.get("/api/v1/module/upstream/over-tls").statusCode());
            assertThrows(RuntimeException.class, () -> new RestClient(address, cluster.tokens().operator())
                    .get("/api/v1/module/upstream"));
        }
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
