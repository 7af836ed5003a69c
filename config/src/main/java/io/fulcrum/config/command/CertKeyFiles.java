package io.fulcrum.config.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fulcrum.config.tls.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the files an {@code add|update cert-key} command names and puts their PEM text in their
 * place, so the command carries the material and the control plane reads no files. Run where
 * the files are: by fctl on the operator's machine, by a standalone data plane for its script.
 * Other lines pass unchanged; so do values that already are PEM.
 */
public final class CertKeyFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TYPE_WORDS = Set.of("cert-key", "ck");
    private static final Set<String> FILE_PARAMS = Set.of("cert", "key");

    private CertKeyFiles() {
    }

    /**
     * {@code text} (one or more lines) with each cert-key file path replaced by the file's text;
     * {@code cert} takes comma-separated paths (leaf, then chain). Relative paths are resolved
     * against {@code base}.
     *
     * @throws CommandException naming the file that cannot be read
     */
    public static String inline(String text, Path base) {
        if (!text.contains("cert-key") && !text.contains(" ck ")) {
            return text;
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            lines.add(inlineLine(line, base));
        }
        return String.join("\n", lines);
    }

    private static String inlineLine(String line, Path base) {
        String trimmed = line.strip();
        if (trimmed.startsWith("#") || trimmed.isEmpty()) {
            return line;
        }
        List<String> tokens = Tokenizer.tokenize(line);
        if (tokens.size() < 3 || !(tokens.get(0).equals("add") || tokens.get(0).equals("update"))
                || !TYPE_WORDS.contains(tokens.get(1))) {
            return line;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            boolean value = i > 2 && FILE_PARAMS.contains(tokens.get(i - 1)) && !Pem.isPem(token);
            String written = value ? readPem(token, base) : token;
            out.append(i == 0 ? "" : " ").append(written.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"')
                    ? quote(written) : written);
        }
        return out.toString();
    }

    /**
     * The PEM text of the comma-separated files {@code paths} (relative to {@code base}), one after
     * the other, as a cert-key's cert or key.
     *
     * @throws CommandException naming a file that cannot be read
     */
    public static String readPem(String paths, Path base) {
        StringBuilder pem = new StringBuilder();
        for (String path : paths.split(",")) {
            Path file = base.resolve(path.trim());
            try {
                pem.append(Files.readString(file, StandardCharsets.UTF_8).strip()).append('\n');
            } catch (java.nio.file.NoSuchFileException e) {
                throw new CommandException("cannot read " + file + ": no such file");
            } catch (IOException e) {
                throw new CommandException("cannot read " + file + ": " + e.getMessage());
            }
        }
        return pem.toString();
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
