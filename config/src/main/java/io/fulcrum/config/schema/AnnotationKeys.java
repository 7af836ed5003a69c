package io.fulcrum.config.schema;

import java.util.List;

/** Which Fulcrum annotation keys each kind reads. */
final class AnnotationKeys {
    private AnnotationKeys() {
    }

    static List<AnnotationKey> of(Kind kind) {
        return switch (kind) {
            case SERVER_GROUP -> List.of(AnnotationKey.HC_HTTP_METHOD, AnnotationKey.HC_HTTP_URI,
                    AnnotationKey.HC_HTTP_HOST, AnnotationKey.HC_HTTP_STATUS);
            default -> List.of();
        };
    }
}
