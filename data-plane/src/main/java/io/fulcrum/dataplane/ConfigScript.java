package io.fulcrum.dataplane;

import io.fulcrum.config.ConfigException;
import io.fulcrum.config.command.Interpreter;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.ExecResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a config file written in the command language (the format of {@code fctl save}): the
 * whole file is one atomic script. A file with nothing but comments is an empty config.
 */
public final class ConfigScript {
    private ConfigScript() {
    }

    /**
     * The config in {@code file}, stamped with {@code version}.
     *
     * @throws InvalidConfigFileException naming the file and, for a bad command, its line
     */
    public static Config read(Path file, long version) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidConfigFileException(file + ": cannot read: " + e.getMessage(), e);
        }
        // a standalone data plane reads the cert-key files its script names, relative to the script
        Path base = file.toAbsolutePath().getParent();
        try {
            text = io.fulcrum.config.command.CertKeyFiles.inline(text, base);
        } catch (io.fulcrum.config.command.CommandException e) {
            throw new InvalidConfigFileException(file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), text, version);
    }

    /** The config in {@code text}; {@code origin} names it in errors. */
    public static Config parse(String origin, String text, long version) {
        if (text.lines().map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("#"))) {
            return ConfigModel.empty().withIdentity("", version).toProto();
        }
        Interpreter interpreter = new Interpreter();
        ExecResponse response;
        try {
            response = interpreter.exec(text);
        } catch (ConfigException e) {
            throw new InvalidConfigFileException(origin + ": " + e.getMessage(), e);
        }
        if (response.getKind() != ExecResponse.Kind.KIND_OK) {
            throw new InvalidConfigFileException(origin + ": holds a query, not a config; write add commands only");
        }
        return interpreter.model().withIdentity("", version).toProto();
    }

    /** A config file that cannot be read, parsed or validated; the message says where and why. */
    public static final class InvalidConfigFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidConfigFileException(String message) {
            super(message);
        }

        InvalidConfigFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
