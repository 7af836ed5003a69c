package io.fulcrum.config.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Two certificate/key pairs as JSON-quoted PEM tokens, made once per test JVM for random configs. */
public final class CertKeyPems {
    /** {cert token, key token} pairs for a.test (and *.a.test) and b.test. */
    public static final List<String[]> PAIRS = make();

    private CertKeyPems() {
    }

    private static List<String[]> make() {
        try {
            Path dir = Files.createTempDirectory("fulcrum-random-pki");
            TestPki pki = TestPki.create(dir, "random");
            ObjectMapper json = new ObjectMapper();
            List<String[]> pairs = new ArrayList<>();
            for (String name : List.of("a.test", "b.test")) {
                TestPki.Issued issued = pki.issue(name, 30, name, "*." + name);
                pairs.add(new String[] {json.writeValueAsString(issued.certPem()), json.writeValueAsString(issued.keyPem())});
            }
            try (var files = Files.list(dir)) {
                files.forEach(file -> file.toFile().delete());
            }
            Files.delete(dir);
            return List.copyOf(pairs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
