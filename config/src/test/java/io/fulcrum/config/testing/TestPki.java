package io.fulcrum.config.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A certificate authority made in a test directory with the {@code openssl} command (EC P-256,
 * fast): issues leaf certificates with DNS names, each with its own serial. Nothing here is
 * committed; every key lives in the test's temporary directory.
 */
public final class TestPki {
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime() & 0xffffffL);

    private final Path dir;
    private final Issued ca;

    /** A leaf (or the CA): its files, their text, and the serial in lowercase hex. */
    public record Issued(Path certFile, Path keyFile, String certPem, String keyPem, String serial) {
    }

    private TestPki(Path dir, Issued ca) {
        this.dir = dir;
        this.ca = ca;
    }

    /** A new CA named {@code name} in {@code dir}. */
    public static TestPki create(Path dir, String name) {
        String file = name.replaceAll("[^A-Za-z0-9]", "_");
        Path key = dir.resolve(file + "-ca.key");
        Path cert = dir.resolve(file + "-ca.pem");
        String serial = nextSerial();
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "30", "-subj", "/CN=" + name,
                "-set_serial", "0x" + serial, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return new TestPki(dir, read(cert, key, serial));
    }

    public Issued ca() {
        return ca;
    }

    /** A leaf for {@code dnsNames} (the first is also the CN), valid for {@code days}. */
    public Issued issue(String file, int days, String... dnsNames) {
        Path key = dir.resolve(file + ".key");
        Path csr = dir.resolve(file + ".csr");
        Path cert = dir.resolve(file + ".pem");
        Path ext = dir.resolve(file + ".ext");
        List<String> sans = new ArrayList<>();
        for (String name : dnsNames) {
            sans.add("DNS:" + name);
        }
        write(ext, "subjectAltName=" + String.join(",", sans) + "\nextendedKeyUsage=serverAuth\n");
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + dnsNames[0]);
        String serial = nextSerial();
        run(dir, "openssl", "x509", "-req", "-in", csr.toString(), "-CA", ca.certFile().toString(), "-CAkey",
                ca.keyFile().toString(), "-set_serial", "0x" + serial, "-days", String.valueOf(days), "-out",
                cert.toString(), "-extfile", ext.toString());
        return read(cert, key, serial);
    }

    private static String nextSerial() {
        return Long.toHexString(SERIALS.incrementAndGet() | 0x1000000L);
    }

    private static Issued read(Path cert, Path key, String serial) {
        try {
            return new Issued(cert, key, Files.readString(cert), Files.readString(key), serial);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
