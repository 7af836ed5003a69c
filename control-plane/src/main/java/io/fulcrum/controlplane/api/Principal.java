package io.fulcrum.controlplane.api;

import io.grpc.Context;

/** Who is calling, as the auth interceptor established it. Carried in the gRPC {@link Context}. */
public record Principal(String name, Role role) {
    static final Context.Key<Principal> KEY = Context.key("fulcrum-principal");

    /** The caller of the current gRPC call. */
    public static Principal current() {
        Principal principal = KEY.get();
        if (principal == null) {
            throw new IllegalStateException("no principal in this context");
        }
        return principal;
    }

    /** @throws PermissionDeniedException unless this principal may change the config */
    public void requireWrite(String what) {
        if (!role.canWrite()) {
            throw new PermissionDeniedException("role " + role.word() + " may not " + what + "; it needs an operator token");
        }
    }

    /** @throws PermissionDeniedException unless this principal may read the config */
    public void requireRead() {
        if (!role.canRead()) {
            throw new PermissionDeniedException("role " + role.word() + " may only open the sync stream");
        }
    }
}
