package io.fulcrum.controlplane.api.rest;

import io.fulcrum.config.manifest.ManifestException;
import io.fulcrum.controlplane.api.Errors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The one place that turns a failure into an HTTP answer: the REST layer's own refusals keep
 * their status; everything else goes through {@link Errors} (the mapping the gRPC API uses, which
 * also logs internal errors) and its gRPC code becomes the HTTP status. The body is
 * {@code {"error": MESSAGE, "code": GRPC_CODE}}.
 */
final class HttpFailures {
    private final Errors errors;

    HttpFailures(Errors errors) {
        this.errors = errors;
    }

    RestResponse answer(Throwable failure) {
        Throwable t = Errors.unwrap(failure);
        if (t instanceof RestException rest) {
            return RestResponse.error(rest.status(), codeOf(rest.status()), rest.getMessage());
        }
        if (t instanceof ManifestException manifest) {
            return RestResponse.error(HttpResponseStatus.BAD_REQUEST, "INVALID_ARGUMENT", manifest.getMessage());
        }
        StatusRuntimeException status = errors.toStatus(t);
        Status.Code code = status.getStatus().getCode();
        String message = status.getStatus().getDescription() == null ? code.name() : status.getStatus().getDescription();
        return RestResponse.error(httpStatus(code), code.name(), message);
    }

    static HttpResponseStatus httpStatus(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> HttpResponseStatus.BAD_REQUEST;
            case UNAUTHENTICATED -> HttpResponseStatus.UNAUTHORIZED;
            case PERMISSION_DENIED -> HttpResponseStatus.FORBIDDEN;
            case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            // a name taken, a resource in use, or If-Match naming a version the config has left
            case ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED -> HttpResponseStatus.CONFLICT;
            case RESOURCE_EXHAUSTED -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case UNKNOWN, DEADLINE_EXCEEDED -> HttpResponseStatus.GATEWAY_TIMEOUT;
            case UNIMPLEMENTED -> HttpResponseStatus.NOT_IMPLEMENTED;
            default -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
        };
    }

    private static String codeOf(HttpResponseStatus status) {
        return switch (status.code()) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "PAYLOAD_TOO_LARGE";
            default -> status.reasonPhrase().toUpperCase().replace(' ', '_');
        };
    }
}
