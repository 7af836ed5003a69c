package io.fulcrum.dataplane.proxyprotocol;

import io.fulcrum.dataplane.security.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks a listener takes PROXY headers from ({@code fulcrum/proxy-protocol-accept}): a
 * connection from one of them must start with a header, one from anywhere else is its own client.
 * Immutable.
 */
public final class TrustedNetworks {
    public static final TrustedNetworks NONE = new TrustedNetworks(List.of());

    private final List<Cidr> networks;

    private TrustedNetworks(List<Cidr> networks) {
        this.networks = List.copyOf(networks);
    }

    /** {@code value}: CIDRs separated by commas, as the config model checked them; null or empty for none. */
    public static TrustedNetworks parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        List<Cidr> networks = new ArrayList<>();
        for (String network : value.split(",")) {
            networks.add(Cidr.parse(network.trim()));
        }
        return new TrustedNetworks(networks);
    }

    /** True when a connection from {@code peer} must start with a PROXY header. */
    public boolean contains(InetAddress peer) {
        for (Cidr network : networks) {
            if (network.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    @Override
    public String toString() {
        return networks.toString();
    }
}
