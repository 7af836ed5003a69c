package io.fulcrum.controlplane.api;

import io.fulcrum.config.auth.AuthFile;
import java.util.Locale;

/** What a token may do. */
public enum Role {
    /** Read and change the config, manage members. */
    OPERATOR,
    /** Read only. */
    VIEWER,
    /** Only the sync stream. */
    DATA_PLANE,
    /** Another control-plane member forwarding a request it already authorized. */
    PEER;

    public boolean canRead() {
        return this != DATA_PLANE;
    }

    public boolean canWrite() {
        return this == OPERATOR || this == PEER;
    }

    /** The word used in auth files: operator, viewer, data-plane. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The role an auth-file line gives (peer is not configurable). */
    public static Role of(AuthFile.Role role) {
        return switch (role) {
            case OPERATOR -> OPERATOR;
            case VIEWER -> VIEWER;
            case DATA_PLANE -> DATA_PLANE;
        };
    }
}
