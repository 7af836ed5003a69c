package io.fulcrum.config.schema;

import java.util.function.Consumer;

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
            "HTTP health check: Host header", "the server's address",
            v -> require(v.length() <= 255 && v.matches("[A-Za-z0-9.\\-:\\[\\]]+"), "a host name or HOST:PORT", v));
    public static final AnnotationKey HC_HTTP_STATUS = new AnnotationKey("fulcrum/hc-http-status",
            "HTTP health check: statuses that count as success", "2xx,3xx", StatusRanges::parse);

    private static void require(boolean ok, String what, String value) {
        if (!ok) {
            throw InvalidValueException.mustBe(what, value);
        }
    }
}
