package io.fulcrum.controlplane.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A self-signed RSA certificate for 127.0.0.1 and localhost, made with openssl (the caller checks it is installed). */
public final class SelfSigned {
    private SelfSigned() {
    }

    public static void loopback(Path cert, Path key) {
        try {
            Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
            openssl.getInputStream().readAllBytes();
            assertTrue(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl made a certificate");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted making a certificate", e);
        }
    }
}
