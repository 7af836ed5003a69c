package io.fulcrum.ctl.connect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.Option;

/**
 * How fctl reaches the cluster; every command has these as a mixin, and so has {@code fctl}
 * itself, so they may be written before or after the subcommand. A field is null while its option
 * is not given: {@link #merge} tells options given twice from options given once, and
 * {@link Connection#open} fills in the defaults.
 */
public final class ConnectionOptions {
    /** Seconds to wait for an answer when {@code --timeout} is not given. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 15;

    @Option(names = "--server", split = ",", paramLabel = "HOST:PORT",
            description = "control-plane API address(es), tried in order (env FULCRUM_SERVER; default: the local cluster, "
                    + "else 127.0.0.1:9001)")
    List<String> servers;

    @Option(names = "--token", description = "bearer token (env FULCRUM_TOKEN; default: the local cluster's, when no "
            + "--server or FULCRUM_SERVER is given)")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "file holding the token (or an auth file: its "
            + "operator token is used)")
    Path tokenFile;

    @Option(names = "--tls", description = "connect with TLS")
    Boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM CA certificate to trust (implies --tls)")
    Path tlsCa;

    @Option(names = "--timeout", paramLabel = "SECONDS", converter = TimeoutSeconds.class,
            description = "seconds (or a duration: 90s, 5m) to wait for an answer (default: " + DEFAULT_TIMEOUT_SECONDS
                    + "; drain: how long to wait for the drain, default 5m)")
    Integer timeoutSeconds;

    /** True when no connection option was given. */
    public boolean isEmpty() {
        return servers == null && token == null && tokenFile == null && tls == null && tlsCa == null && timeoutSeconds == null;
    }

    /**
     * These options and {@code later}'s together, as given on one command line ({@code fctl
     * --server A status --timeout 3}).
     *
     * @throws IllegalArgumentException naming the option when both give it with different values,
     *         or when {@code --token} and {@code --token-file} are both given
     */
    public ConnectionOptions merge(ConnectionOptions later) {
        ConnectionOptions merged = new ConnectionOptions();
        merged.servers = one("--server", servers, later.servers);
        merged.token = one("--token", token, later.token);
        merged.tokenFile = one("--token-file", tokenFile, later.tokenFile);
        merged.tls = one("--tls", tls, later.tls);
        merged.tlsCa = one("--tls-ca", tlsCa, later.tlsCa);
        merged.timeoutSeconds = one("--timeout", timeoutSeconds, later.timeoutSeconds);
        merged.check();
        return merged;
    }

    /**
     * These options with {@code over}'s given options in their place (a shell line overriding the
     * options the shell was opened with). A token given either way replaces both token options.
     */
    public ConnectionOptions overriddenBy(ConnectionOptions over) {
        ConnectionOptions result = new ConnectionOptions();
        result.servers = over.servers != null ? over.servers : servers;
        boolean newToken = over.token != null || over.tokenFile != null;
        result.token = newToken ? over.token : token;
        result.tokenFile = newToken ? over.tokenFile : tokenFile;
        result.tls = over.tls != null ? over.tls : tls;
        result.tlsCa = over.tlsCa != null ? over.tlsCa : tlsCa;
        result.timeoutSeconds = over.timeoutSeconds != null ? over.timeoutSeconds : timeoutSeconds;
        result.check();
        return result;
    }

    private void check() {
        if (token != null && tokenFile != null) {
            throw new IllegalArgumentException("give --token or --token-file, not both");
        }
        if (timeoutSeconds != null && timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout: " + timeoutSeconds + " (expected: at least 1 second)");
        }
        if (servers != null && servers.stream().anyMatch(s -> s.isBlank())) {
            throw new IllegalArgumentException("--server: an empty address in " + servers + " (expected: HOST:PORT,...)");
        }
    }

    private static <T> T one(String option, T first, T second) {
        if (first != null && second != null && !Objects.equals(first, second)) {
            String values = option.equals("--token") ? "two different tokens"
                    : "different values, " + show(first) + " and " + show(second);
            throw new IllegalArgumentException(option + " is given twice, with " + values + ": give it once");
        }
        return first != null ? first : second;
    }

    private static String show(Object value) {
        return value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
    }

    /** The --timeout given, or null when none was. */
    public Integer timeoutGiven() {
        return timeoutSeconds;
    }

    List<String> servers() {
        return servers == null ? List.of() : new ArrayList<>(servers);
    }

    boolean tls() {
        return Boolean.TRUE.equals(tls) || tlsCa != null;
    }

    int timeoutSeconds() {
        return timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
    }

    /** Options set in code (tests, the shell). */
    public static ConnectionOptions of(List<String> servers, String token) {
        ConnectionOptions options = new ConnectionOptions();
        options.servers = servers;
        options.token = token;
        return options;
    }
}
