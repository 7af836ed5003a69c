package io.fulcrum.controlplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An auth file with one token per role, for test clusters. */
public record Tokens(Path file, String operator, String viewer, String dataPlane) {

    public static Tokens write(Path dir) {
        Tokens tokens = new Tokens(dir.resolve("auth.conf"), "operator-token-0123456789", "viewer-token-0123456789",
                "data-plane-token-0123456789");
        try {
            Files.createDirectories(dir);
            Files.writeString(tokens.file, "operator " + tokens.operator + " alice\nviewer " + tokens.viewer
                    + " bob\ndata-plane " + tokens.dataPlane + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tokens;
    }
}
