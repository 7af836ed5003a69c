package io.fulcrum.dataplane.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session ticket issued by one data plane resumes on another fed the same config (the ticket
 * keys derive from the cert-key's private key), over TLS 1.3 and 1.2, checked with openssl
 * s_client -sess_out / -sess_in.
 */
@Timeout(90)
class SharedTicketsTest {
    @TempDir
    Path dir;

    private String script(Issued site, String backend, int port) {
        return CertKeyFiles.inline("add cert-key site cert " + site.certFile() + " key " + site.keyFile() + "\n"
                + "add server-group g timeout 300 period 200 up 1 down 1 protocol none\n"
                + "add server s1 to server-group g address " + backend + "\n"
                + "add upstream u\nadd server-group g to upstream u\n"
                + "add tcp-lb lb0 address 127.0.0.1:" + port + " upstream u protocol tcp cert-key site\n", dir);
    }

    @Test
    void aTicketFromOneNodeResumesOnTheOther() throws Exception {
        assumeTrue(OpenSsl.isAvailable(), "ticket keys need the native engine");
        TestPki pki = TestPki.create(dir, "Tickets CA");
        Issued site = pki.issue("site", 30, "site.test");
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        try (NamedServer backend = NamedServer.start("b1");
                DataPlane a = DataPlane.start(DataPlaneOptions.builder("a").workerLoops(1).build());
                DataPlane b = DataPlane.start(DataPlaneOptions.builder("b").workerLoops(1).build())) {
            assertTrue(a.apply(Scripts.config(script(site, backend.address(), portA), 1)).isApplied());
            assertTrue(b.apply(Scripts.config(script(site, backend.address(), portB), 1)).isApplied());
            for (String version : List.of("-tls1_3", "-tls1_2")) {
                Path session = dir.resolve("session" + version);
                String first = sClient(portA, version, "-sess_out", session);
                assertTrue(first.contains("New, TLSv1."), first);
                String resumed = sClient(portB, version, "-sess_in", session);
                assertTrue(resumed.contains("Reused, TLSv1."), version + " on the other node:\n" + resumed);
            }
        }
    }

    @Test
    void keysAreTheSameForTheSameKeyAndPeriodAndDifferOtherwise() {
        byte[] one = TicketKeys.secret("key one");
        assertTrue(sameKey(TicketKeys.key(one, 7), TicketKeys.key(TicketKeys.secret("key one"), 7)));
        assertTrue(!sameKey(TicketKeys.key(one, 7), TicketKeys.key(one, 8)));
        assertTrue(!sameKey(TicketKeys.key(one, 7), TicketKeys.key(TicketKeys.secret("key two"), 7)));
        assertEquals(16, TicketKeys.key(one, 7).aesKey().length);
    }

    private static boolean sameKey(OpenSslSessionTicketKey x, OpenSslSessionTicketKey y) {
        return Arrays.equals(x.name(), y.name()) && Arrays.equals(x.hmacKey(), y.hmacKey())
                && Arrays.equals(x.aesKey(), y.aesKey());
    }

    /**
     * One s_client handshake and one line relayed to the backend; with -sess_out it waits until the
     * session (TLS 1.3: the ticket that follows the handshake) is written, then ends the client.
     * Returns what s_client printed.
     */
    private String sClient(int port, String version, String sessionOption, Path session) throws IOException,
            InterruptedException {
        Path out = dir.resolve("s_client" + port + version + ".out");
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "site.test", version, sessionOption, session.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            // a TLS 1.3 server sends its tickets with its first bytes: the backend's answer to this line
            process.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().flush();
            if (sessionOption.equals("-sess_out")) {
                Poll.until(Duration.ofSeconds(20), () -> Files.exists(session) && size(session) > 0
                        && read(out).contains("Verify return code"), () -> "the session written; s_client said:\n" + read(out));
            } else {
                Poll.until(Duration.ofSeconds(20), () -> read(out).contains("Verify return code"), "the handshake");
            }
            process.getOutputStream().close();
            process.waitFor(10, TimeUnit.SECONDS);
        } finally {
            process.destroyForcibly();
        }
        return read(out);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
