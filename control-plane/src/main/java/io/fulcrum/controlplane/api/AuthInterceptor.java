package io.fulcrum.controlplane.api;

import io.fulcrum.config.rpc.GrpcSetup;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.function.Supplier;

/**
 * Authenticates every call by its bearer token and puts the {@link Principal} into the context.
 * The standard health service is open (load balancers probe it); the sync stream needs a
 * data-plane token; every other call needs an operator or viewer token (or a member's peer token).
 */
public final class AuthInterceptor implements ServerInterceptor {
    /** Set by a member forwarding a call: whom it acts for. */
    public static final Metadata.Key<String> ON_BEHALF_OF = Metadata.Key.of("x-fulcrum-on-behalf-of", Metadata.ASCII_STRING_MARSHALLER);
    private static final String SYNC_SERVICE = "fulcrum.v1.SyncService/";

    private final AuthTable table;
    private final Supplier<String> peerToken;

    /** @param table null: no authentication (--insecure-no-auth) */
    public AuthInterceptor(AuthTable table, Supplier<String> peerToken) {
        this.table = table;
        this.peerToken = peerToken;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (method.startsWith("grpc.health.v1.")) {
            return next.startCall(call, headers);
        }
        boolean sync = method.startsWith(SYNC_SERVICE);
        Principal principal;
        try {
            principal = authenticate(headers, sync);
        } catch (AuthFailure failure) {
            call.close(failure.status, new Metadata());
            return new ServerCall.Listener<>() { };
        }
        Context context = Context.current().withValue(Principal.KEY, principal);
        return Contexts.interceptCall(context, call, headers, next);
    }

    private Principal authenticate(Metadata headers, boolean sync) {
        if (table == null) {
            return new Principal("anonymous", sync ? Role.DATA_PLANE : Role.OPERATOR);
        }
        String header = headers.get(GrpcSetup.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AuthFailure(Status.UNAUTHENTICATED.withDescription(
                    "missing bearer token: give fctl --token or --token-file, or set FULCRUM_TOKEN"));
        }
        String token = header.substring(7).strip();
        Principal principal = table.lookup(token);
        String peer = peerToken.get();
        if (principal == null && !peer.isEmpty() && peer.equals(token)) {
            String onBehalfOf = headers.get(ON_BEHALF_OF);
            principal = new Principal(onBehalfOf == null ? "peer" : onBehalfOf, Role.PEER);
        }
        if (principal == null) {
            throw new AuthFailure(Status.UNAUTHENTICATED.withDescription("unknown token"));
        }
        if (sync != (principal.role() == Role.DATA_PLANE)) {
            throw new AuthFailure(Status.PERMISSION_DENIED.withDescription(sync
                    ? "the sync stream needs a data-plane token, not role " + principal.role().word()
                    : "a data-plane token may only open the sync stream"));
        }
        return principal;
    }

    private static final class AuthFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Status status;

        AuthFailure(Status status) {
            super(status.getDescription(), null, false, false);
            this.status = status;
        }
    }
}
