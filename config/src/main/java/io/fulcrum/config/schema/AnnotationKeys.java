package io.fulcrum.config.schema;

import java.util.List;

/** Which Fulcrum annotation keys each kind reads. */
final class AnnotationKeys {
    private AnnotationKeys() {
    }

    static List<AnnotationKey> of(Kind kind) {
        return switch (kind) {
            case SERVER_GROUP -> List.of(AnnotationKey.HC_HTTP_METHOD, AnnotationKey.HC_HTTP_URI,
                    AnnotationKey.HC_HTTP_HOST, AnnotationKey.HC_HTTP_STATUS, AnnotationKey.PROXY_PROTOCOL_SEND);
            case SERVER_GROUP_LINK -> List.of(AnnotationKey.HINT_HOST, AnnotationKey.HINT_URI);
            case TCP_LB -> List.of(AnnotationKey.PROXY_PROTOCOL_ACCEPT, AnnotationKey.HTTP_ACCESS_LOG, AnnotationKey.HTTP_ACCESS_LOG_FORMAT,
                    AnnotationKey.HTTP_MAX_REQUEST_LINE, AnnotationKey.HTTP_MAX_HEADER_SIZE, AnnotationKey.HTTP_MAX_BODY_SIZE,
                    AnnotationKey.HTTP_RESPONSE_TIMEOUT, AnnotationKey.HTTP_REQUEST_TIMEOUT, AnnotationKey.HTTP_POOL_IDLE_PER_SERVER,
                    AnnotationKey.HTTP_POOL_IDLE_TIMEOUT);
            default -> List.of();
        };
    }
}
