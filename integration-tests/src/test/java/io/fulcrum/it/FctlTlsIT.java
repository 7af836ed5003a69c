package io.fulcrum.it;

import io.fulcrum.config.testing.Preconditions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** fctl's TLS options against a control plane serving TLS. */
@Timeout(120)
class FctlTlsIT {

    @Test
    void fctlTalksTlsWithTheCaItIsGiven(@TempDir Path dir) throws Exception {
        Preconditions.requireExecutable("/usr/bin/openssl", "apt-get install openssl");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(),
                "-out", cert.toString()).redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0);
        try (TestCluster cluster = TestCluster.start(dir.resolve("cluster"), 1, b -> b.tls(cert.toString(), key.toString(), null))) {
            FctlRunner fctl = new FctlRunner(Map.of("FULCRUM_SERVER", cluster.leader().apiAddress(),
                    "FULCRUM_TOKEN", cluster.tokens().operator()), dir);
            assertEquals("OK\n", fctl.run("--tls-ca", cert.toString(), "add", "upstream", "over-tls").out());
            assertEquals(3, fctl.run("list", "upstream").code(), "plain text cannot talk to a TLS server");
        }
    }
}
