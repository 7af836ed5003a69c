package io.fulcrum.controlplane.api.rest;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the REST layer refuses before any operation runs: the status and a message a person can act on. */
final class RestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient HttpResponseStatus status;

    RestException(HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static RestException badRequest(String message) {
        return new RestException(HttpResponseStatus.BAD_REQUEST, message);
    }

    HttpResponseStatus status() {
        return status;
    }
}
