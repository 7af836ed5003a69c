package io.fulcrum.controlplane.api;

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

    /** The role of an auth-file word, or null (peer is not configurable). */
    public static Role ofWord(String word) {
        for (Role role : values()) {
            if (role != PEER && role.word().equals(word)) {
                return role;
            }
        }
        return null;
    }
}
