package io.fulcrum.dataplane.runtime;

import io.fulcrum.config.schema.AnnotationKey;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP settings of one {@code protocol http} listener, read from its annotations (see
 * {@link AnnotationKey}); every value is already checked by the config model.
 *
 * @param maxRequestLine   longest request line, bytes
 * @param maxHeaderSize    largest header block of a request or a response, bytes
 * @param maxBodySize      largest request body, bytes; 0 for no limit
 * @param responseTimeoutMs wait for a response once the request is sent, and between two reads of it
 * @param requestTimeoutMs time a client has to send a request's head
 * @param poolIdlePerServer idle server connections kept per server and event loop; 0 for none
 * @param poolIdleTimeoutMs how long an idle server connection is kept
 * @param accessLog        off, stdout or an absolute file path
 * @param accessLogFormat  the access-log line with {@code $variables}
 */
public record HttpSettings(int maxRequestLine, int maxHeaderSize, long maxBodySize, int responseTimeoutMs,
        int requestTimeoutMs, int poolIdlePerServer, int poolIdleTimeoutMs, String accessLog, String accessLogFormat) {
    /** Bodies are handed on in pieces of at most this many bytes (not a limit on the body). */
    public static final int MAX_CHUNK = 65536;

    public static HttpSettings of(Map<String, String> annotations) {
        return new HttpSettings(
                integer(annotations, AnnotationKey.HTTP_MAX_REQUEST_LINE),
                integer(annotations, AnnotationKey.HTTP_MAX_HEADER_SIZE),
                integer(annotations, AnnotationKey.HTTP_MAX_BODY_SIZE),
                integer(annotations, AnnotationKey.HTTP_RESPONSE_TIMEOUT),
                integer(annotations, AnnotationKey.HTTP_REQUEST_TIMEOUT),
                integer(annotations, AnnotationKey.HTTP_POOL_IDLE_PER_SERVER),
                integer(annotations, AnnotationKey.HTTP_POOL_IDLE_TIMEOUT),
                text(annotations, AnnotationKey.HTTP_ACCESS_LOG),
                text(annotations, AnnotationKey.HTTP_ACCESS_LOG_FORMAT));
    }

    public long responseTimeoutNanos() {
        return TimeUnit.MILLISECONDS.toNanos(responseTimeoutMs);
    }

    public long requestTimeoutNanos() {
        return TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
    }

    public long poolIdleTimeoutNanos() {
        return TimeUnit.MILLISECONDS.toNanos(poolIdleTimeoutMs);
    }

    private static int integer(Map<String, String> annotations, AnnotationKey key) {
        return Integer.parseInt(text(annotations, key));
    }

    private static String text(Map<String, String> annotations, AnnotationKey key) {
        return annotations.getOrDefault(key.key(), key.defaultValue());
    }
}
