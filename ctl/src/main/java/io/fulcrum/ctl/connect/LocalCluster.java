package io.fulcrum.ctl.connect;

import io.fulcrum.config.auth.AuthFile;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A local cluster fctl can find by itself: {@code .fulcrum/fctl.conf} in the working directory or
 * a parent (written by {@code bin/fulcrum up}), else {@code ~/.fulcrum/fctl.conf}, else the default
 * single node's generated tokens in {@code ~/.fulcrum/cp1/auth.conf}.
 *
 * @param servers   API addresses, empty if unknown
 * @param tokenFile auth file holding an operator token, or null
 */
public record LocalCluster(List<String> servers, Path tokenFile) {
    public static final String CONF = "fctl.conf";

    public static Optional<LocalCluster> find(Path cwd, Path home) {
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            Path conf = dir.resolve(".fulcrum").resolve(CONF);
            if (Files.isRegularFile(conf)) {
                return Optional.of(read(conf));
            }
        }
        Path homeConf = home.resolve(".fulcrum").resolve(CONF);
        if (Files.isRegularFile(homeConf)) {
            return Optional.of(read(homeConf));
        }
        Path single = home.resolve(".fulcrum").resolve("cp1").resolve("auth.conf");
        return Files.isRegularFile(single) ? Optional.of(new LocalCluster(List.of(), single)) : Optional.empty();
    }

    private static LocalCluster read(Path conf) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(conf)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + conf, e);
        }
        List<String> servers = Arrays.stream(properties.getProperty("servers", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        String tokenFile = properties.getProperty("token-file");
        return new LocalCluster(servers, tokenFile == null ? null : conf.getParent().resolve(tokenFile));
    }

    /** The token in {@code file}: the operator token of an auth file, or the file's only token. */
    public static String tokenIn(Path file) {
        return AuthFile.tokenFor(file, AuthFile.Role.OPERATOR);
    }
}
