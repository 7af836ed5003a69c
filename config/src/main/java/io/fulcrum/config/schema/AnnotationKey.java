package io.fulcrum.config.schema;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An annotation key that Fulcrum itself reads, with the check its value must pass. Keys under
 * {@code fulcrum/} that are not known are rejected (a typo would otherwise be silently ignored);
 * other keys are free-form.
 *
 * @param check throws {@link InvalidValueException} for a bad value
 */
public record AnnotationKey(String key, String meaning, String defaultValue, Consumer<String> check) {
    public static final String PREFIX = "fulcrum/";

    public static final AnnotationKey HC_HTTP_METHOD = new AnnotationKey("fulcrum/hc-http-method",
            "HTTP health check: request method", "GET",
            v -> require(v.matches("[A-Z]{1,16}"), "an upper-case HTTP method such as GET or HEAD", v));
    public static final AnnotationKey HC_HTTP_URI = new AnnotationKey("fulcrum/hc-http-uri",
            "HTTP health check: request target", "/",
            v -> require(v.startsWith("/") && v.length() <= 2048 && v.chars().noneMatch(c -> c <= ' ' || c == 127),
                    "a path starting with / without spaces", v));
    public static final AnnotationKey HC_HTTP_HOST = new AnnotationKey("fulcrum/hc-http-host",
            "HTTP health check: Host header", "the group's host-header, else the server's address",
            v -> require(HostHeaderType.valid(v), "a host name or HOST:PORT", v));
    public static final AnnotationKey HC_HTTP_STATUS = new AnnotationKey("fulcrum/hc-http-status",
            "HTTP health check: statuses that count as success", "2xx,3xx", StatusRanges::parse);

    /** Server-group annotation: what its connections to servers start with. */
    public static final AnnotationKey PROXY_PROTOCOL_SEND = new AnnotationKey("fulcrum/proxy-protocol-send",
            "connections to the servers start with a PROXY protocol header carrying the client's address: off, v1 "
                    + "(text) or v2 (binary)", "off",
            v -> require(v.equals("off") || v.equals("v1") || v.equals("v2"), "off, v1 or v2", v));

    /** Link annotations: which requests of an HTTP listener go to the linked server group. */
    public static final AnnotationKey HINT_HOST = new AnnotationKey("fulcrum/hint-host",
            "HTTP listeners: requests whose Host matches go to this server group; an exact name, *.suffix or *, "
                    + "several separated by commas (exact, then longest suffix, then *)", "any host",
            AnnotationKey::checkHostPatterns);
    public static final AnnotationKey HINT_URI = new AnnotationKey("fulcrum/hint-uri",
            "HTTP listeners: requests whose path starts with this prefix go to this server group (longest prefix wins)",
            "any path", v -> require(v.startsWith("/") && v.length() <= 2048 && v.chars().noneMatch(c -> c <= ' ' || c >= 127),
                    "a path prefix starting with / without spaces", v));

    /** The variables an access-log format may use, each written {@code $name}. */
    public static final List<String> ACCESS_LOG_VARIABLES = List.of("time", "remote_addr", "remote_port", "listener",
            "host", "request", "method", "uri", "protocol", "status", "bytes", "request_bytes", "duration_ms",
            "upstream", "group", "server");
    public static final String DEFAULT_ACCESS_LOG_FORMAT =
            "$time $remote_addr $host \"$request\" $status $bytes $duration_ms $upstream";

    /** Listener annotation, read by every listener: who may announce another client address. */
    public static final AnnotationKey PROXY_PROTOCOL_ACCEPT = new AnnotationKey("fulcrum/proxy-protocol-accept",
            "connections from these networks (CIDRs separated by commas, e.g. 10.0.0.0/8,fd00::/8) must start with "
                    + "a PROXY protocol header (v1 or v2) whose client address is used from then on; connections from "
                    + "elsewhere are their own client", "none", AnnotationKey::checkNetworks);

    /** Listener annotations, read by {@code protocol http} listeners only. */
    public static final AnnotationKey HTTP_ACCESS_LOG = new AnnotationKey("fulcrum/http-access-log",
            "HTTP listeners: where the access log goes, one line per request: off, stdout or an absolute file path",
            "off", v -> require(v.equals("off") || v.equals("stdout") || (v.startsWith("/") && v.length() <= 1024
                    && v.chars().noneMatch(c -> c < ' ')), "off, stdout or an absolute file path", v));
    public static final AnnotationKey HTTP_ACCESS_LOG_FORMAT = new AnnotationKey("fulcrum/http-access-log-format",
            "HTTP listeners: the access-log line; variables $" + String.join(", $", ACCESS_LOG_VARIABLES),
            DEFAULT_ACCESS_LOG_FORMAT, AnnotationKey::checkLogFormat);
    public static final AnnotationKey HTTP_MAX_REQUEST_LINE = new AnnotationKey("fulcrum/http-max-request-line",
            "HTTP listeners: longest request line, bytes (longer: 400)", "8192", v -> checkInt(v, 64, 1 << 20));
    public static final AnnotationKey HTTP_MAX_HEADER_SIZE = new AnnotationKey("fulcrum/http-max-header-size",
            "HTTP listeners: largest header block of a request or response, bytes (larger: 400 or 502)", "16384",
            v -> checkInt(v, 256, 1 << 20));
    public static final AnnotationKey HTTP_MAX_BODY_SIZE = new AnnotationKey("fulcrum/http-max-body-size",
            "HTTP listeners: largest request body, bytes; 0: no limit (larger: 413)", "0",
            v -> checkInt(v, 0, Integer.MAX_VALUE));
    public static final AnnotationKey HTTP_RESPONSE_TIMEOUT = new AnnotationKey("fulcrum/http-response-timeout",
            "HTTP listeners: ms to wait for a response once the request is sent, and between two reads of it (504)",
            "60000", v -> checkInt(v, 1, 3_600_000));
    public static final AnnotationKey HTTP_REQUEST_TIMEOUT = new AnnotationKey("fulcrum/http-request-timeout",
            "HTTP listeners: ms a client has to send a request's head, from the connection's start (first request) "
                    + "or the request's first byte (later ones); then 408 and close, or just close if it sent nothing",
            "10000", v -> checkInt(v, 1, 3_600_000));
    public static final AnnotationKey HTTP_POOL_IDLE_PER_SERVER = new AnnotationKey("fulcrum/http-pool-idle-per-server",
            "HTTP listeners: idle keep-alive connections kept per server and event loop; 0: a connection per request",
            "64", v -> checkInt(v, 0, 10_000));
    public static final AnnotationKey HTTP_POOL_IDLE_TIMEOUT = new AnnotationKey("fulcrum/http-pool-idle-timeout",
            "HTTP listeners: ms an idle server connection is kept (below the servers' own keep-alive timeout)", "4000",
            v -> checkInt(v, 1, 3_600_000));

    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_]([a-z0-9_\\-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_\\-]*[a-z0-9_])?)*");
    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[[0-9a-f:.]+\\]");
    private static final Pattern VARIABLE = Pattern.compile("\\$([a-z_]+)");

    /**
     * The patterns of a {@code fulcrum/hint-host} value, lower-cased: exact names, {@code *.suffix}
     * or {@code *}.
     *
     * @throws InvalidValueException if one of them is none of those
     */
    public static List<String> hostPatterns(String value) {
        List<String> patterns = new java.util.ArrayList<>();
        for (String raw : value.split(",", -1)) {
            String pattern = raw.trim().toLowerCase(Locale.ROOT);
            boolean suffix = pattern.startsWith("*.");
            String name = suffix ? pattern.substring(2) : pattern;
            boolean ok = pattern.equals("*") || (name.length() <= 253
                    && (HOST_NAME.matcher(name).matches() || (!suffix && IPV6_LITERAL.matcher(name).matches())));
            require(ok, "host names, *.suffix or *, separated by commas", value);
            patterns.add(pattern);
        }
        return patterns;
    }

    /** True for a DNS name in lower case (labels of letters, digits, '-' and '_'). */
    static boolean isHostName(String name) {
        return HOST_NAME.matcher(name).matches();
    }

    private static void checkNetworks(String value) {
        CidrType networks = new CidrType();
        require(!value.isBlank() && value.length() <= 4096, "CIDRs separated by commas", value);
        for (String network : value.split(",", -1)) {
            networks.check(network.trim());
        }
    }

    private static void checkHostPatterns(String value) {
        hostPatterns(value);
    }

    private static void checkLogFormat(String value) {
        require(!value.isEmpty() && value.length() <= 1024 && value.chars().noneMatch(c -> c < ' '),
                "a one-line format of at most 1024 characters", value);
        Matcher variable = VARIABLE.matcher(value);
        while (variable.find()) {
            if (!ACCESS_LOG_VARIABLES.contains(variable.group(1))) {
                throw new InvalidValueException("has unknown variable $" + variable.group(1) + ", known: $"
                        + String.join(", $", ACCESS_LOG_VARIABLES));
            }
        }
    }

    private static void checkInt(String value, int min, int max) {
        long parsed;
        try {
            parsed = value.length() > 10 ? Long.MAX_VALUE : Long.parseLong(value);
        } catch (NumberFormatException e) {
            parsed = Long.MIN_VALUE;
        }
        require(parsed >= min && parsed <= max && value.matches("\\d+"), "an integer " + min + ".." + max, value);
    }

    private static void require(boolean ok, String what, String value) {
        if (!ok) {
            throw InvalidValueException.mustBe(what, value);
        }
    }
}
