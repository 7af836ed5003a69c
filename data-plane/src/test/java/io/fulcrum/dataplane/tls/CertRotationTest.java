package io.fulcrum.dataplane.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.command.CertKeyFiles;
import io.fulcrum.config.testing.TestPki;
import io.fulcrum.config.testing.TestPki.Issued;
import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.dataplane.testing.Scripts;
import io.netty.handler.ssl.OpenSsl;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A certificate replaced under traffic: no request fails, old connections go on, new handshakes get the new serial. */
@Timeout(90)
class CertRotationTest {
    @TempDir
    Path dir;

    @Test
    void rotatedUnderTrafficWithoutAFailedRequest() throws Exception {
        assertTrue(OpenSsl.isAvailable(), "netty-tcnative loads on linux-x86_64: " + OpenSsl.unavailabilityCause());
        TestPki pki = TestPki.create(dir, "Rotation CA");
        Issued first = pki.issue("first", 30, "site.test");
        Issued second = pki.issue("second", 30, "site.test");
        int port = FreePorts.next();
        InetSocketAddress lb0 = new InetSocketAddress("127.0.0.1", port);
        String ca = pki.ca().certPem();
        try (NamedServer backend = NamedServer.start("b1");
                DataPlane node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(2).build())) {
            String rest = """
                    add server-group g timeout 300 period 200 up 1 down 1 protocol none
                    add server s1 to server-group g address %s
                    add upstream u
                    add server-group g to upstream u
                    add tcp-lb lb0 address 127.0.0.1:%d upstream u cert-key ck0
                    """.formatted(backend.address(), port);
            assertTrue(node.apply(config("add cert-key ck0 cert " + first.certFile() + " key " + first.keyFile() + "\n" + rest, 1))
                    .isApplied());
            TlsClient old = TlsClient.connect(lb0, ca, "site.test");
            assertEquals(first.serial(), old.serial());

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger requests = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicReference<String> lastSerial = new AtomicReference<>();
            Thread traffic = new Thread(() -> {
                while (running.get()) {
                    try (TlsClient client = TlsClient.connect(lb0, ca, "site.test")) {
                        String answer = client.exchange("ping\n");
                        if (!"b1 ping".equals(answer)) {
                            failures.add("answer " + answer);
                        }
                        lastSerial.set(client.serial());
                        requests.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                }
            }, "rotation-traffic");
            traffic.start();
            Poll.until(Duration.ofSeconds(20), () -> requests.get() > 20, "traffic before the rotation");

            assertTrue(node.apply(config("add cert-key ck0 cert " + second.certFile() + " key " + second.keyFile() + "\n" + rest, 2))
                    .isApplied());
            int atRotation = requests.get();
            Poll.until(Duration.ofSeconds(20), () -> second.serial().equals(lastSerial.get()) && requests.get() > atRotation + 20,
                    () -> "new handshakes see serial " + second.serial() + ", last seen " + lastSerial.get());
            running.set(false);
            traffic.join(10_000);

            assertEquals("[]", failures.toString(), "failed requests of " + requests.get());
            assertEquals("b1 still", old.exchange("still\n"), "the connection made before the rotation goes on");
            assertEquals(first.serial(), old.serial());
            old.close();
        }
    }

    private io.fulcrum.proto.v1.Config config(String script, long version) {
        return Scripts.config(CertKeyFiles.inline(script, dir), version);
    }
}
