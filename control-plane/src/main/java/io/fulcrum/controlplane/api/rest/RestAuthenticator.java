package io.fulcrum.controlplane.api.rest;

import io.fulcrum.controlplane.api.AuthTable;
import io.fulcrum.controlplane.api.Principal;
import io.fulcrum.controlplane.api.Role;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code Authorization: Bearer TOKEN} against the node's {@link AuthTable}, as the gRPC API checks
 * it: no or an unknown token is 401; what a role may do is checked by the operations (403). A
 * data-plane token is refused here (it may only open the sync stream). Thread-safe.
 */
final class RestAuthenticator {
    private final AuthTable table;

    /** @param table null: no authentication (--insecure-no-auth), every caller an operator */
    RestAuthenticator(AuthTable table) {
        this.table = table;
    }

    Principal authenticate(HttpHeaders headers) {
        if (table == null) {
            return new Principal("anonymous", Role.OPERATOR);
        }
        String header = headers.get("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new RestException(HttpResponseStatus.UNAUTHORIZED,
                    "missing bearer token: send the header Authorization: Bearer TOKEN (an operator or viewer token "
                            + "of the auth file)");
        }
        Principal principal = table.lookup(header.substring(7).strip());
        if (principal == null) {
            throw new RestException(HttpResponseStatus.UNAUTHORIZED, "unknown token");
        }
        if (principal.role() == Role.DATA_PLANE) {
            throw new RestException(HttpResponseStatus.FORBIDDEN, "a data-plane token may only open the sync stream");
        }
        return principal;
    }
}
