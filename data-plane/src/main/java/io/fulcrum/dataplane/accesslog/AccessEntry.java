package io.fulcrum.dataplane.accesslog;

/**
 * What the access log knows about one request. Strings are as received (the format escapes
 * them); absent values are null or -1.
 *
 * @param timeMillis     when the request started, epoch milliseconds
 * @param status         the status sent to the client; 499 when the client left first
 * @param bytes          response body bytes sent to the client
 * @param requestBytes   request body bytes received from the client
 * @param durationMicros from the request's first line to the last response byte handed to the client
 * @param upstream       the address of the server that answered, null if none did
 */
public record AccessEntry(long timeMillis, String remoteAddr, int remotePort, String listener, String host,
        String method, String uri, String protocol, int status, long bytes, long requestBytes, long durationMicros,
        String upstream, String group, String server) {
}
