package io.fulcrum.dataplane.metrics;

import io.fulcrum.dataplane.health.ServerKey;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.Server;
import io.fulcrum.proto.v1.ServerConnections;
import io.fulcrum.proto.v1.ServerGroup;
import java.util.ArrayList;
import java.util.List;

/** The open connections to each server a config drains: what a heartbeat reports so a drain's progress shows. */
public final class DrainedServers {
    private DrainedServers() {
    }

    /** One entry per drained server of {@code config}, zeros included, in config order. */
    public static List<ServerConnections> of(Config config, TrafficStats stats) {
        List<ServerConnections> drained = new ArrayList<>();
        for (ServerGroup group : config.getServerGroupsList()) {
            for (Server server : group.getServersList()) {
                if (server.getDrain()) {
                    int open = stats.server(new ServerKey(group.getName(), server.getName(), server.getAddress())).open();
                    drained.add(ServerConnections.newBuilder().setServerGroup(group.getName()).setServer(server.getName())
                            .setOpenConnections(open).build());
                }
            }
        }
        return drained;
    }
}
