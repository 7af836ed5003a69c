package io.fulcrum.dataplane.runtime;

import io.fulcrum.dataplane.balance.Selector;
import io.fulcrum.dataplane.health.HealthChecker;
import io.fulcrum.dataplane.tls.Origination;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;

/** A server group as one applied config sees it: its servers, its selector and its health checker. */
public final class BackendGroup {
    private final String name;
    private final Selector<Backend> selector;
    private final HealthChecker checker;
    private final Origination tls;

    /** @param tls how the group's connections speak TLS; null: plain TCP */
    public BackendGroup(String name, Selector<Backend> selector, HealthChecker checker, Origination tls) {
        this.tls = tls;
        this.name = name;
        this.selector = selector;
        this.checker = checker;
    }

    public String name() {
        return name;
    }

    public List<Backend> backends() {
        return selector.candidates();
    }

    public Selector<Backend> selector() {
        return selector;
    }

    /** How the group's connections speak TLS; null for plain TCP. */
    public Origination tls() {
        return tls;
    }

    HealthChecker checker() {
        return checker;
    }

    /** A server for a new connection that is not in {@code tried}, or null. */
    public Backend pick(InetAddress client, Collection<Backend> tried) {
        return selector.pick(client, tried);
    }

    /** True when some server could take a new connection. */
    public boolean anyAvailable() {
        for (Backend backend : selector.candidates()) {
            if (backend.available()) {
                return true;
            }
        }
        return false;
    }
}
