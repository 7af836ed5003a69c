package io.fulcrum.config.schema;

import java.util.Map;

/** The VRRP rules a {@code vip} follows that the control plane and the data planes both apply. */
public final class Vrrp {
    /** The advertisement interval when none is given, ms. */
    public static final int DEFAULT_ADVERT_MS = 1000;

    private Vrrp() {
    }

    /** The VRRP version an advertisement interval needs: 2 for whole seconds, else 3 (sub-second). */
    public static int version(int advertIntervalMs) {
        return advertIntervalMs % 1000 == 0 ? 2 : 3;
    }

    /** True when a node with {@code labels} takes part in a VIP with {@code selector} (empty: every node). */
    public static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> pair : selector.entrySet()) {
            if (!pair.getValue().equals(labels.get(pair.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
