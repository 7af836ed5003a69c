package io.fulcrum.dataplane.lifecycle;

import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.Server;
import io.fulcrum.proto.v1.ServerGroup;

/** Configs for the store's tests: a small one, and one of about {@code kilobytes} KB. */
final class LastGoodConfigs {
    static final String CLUSTER = "5b8c1b8e-1f7a-4d7e-9a51-0c2f3d4e5f60";

    private LastGoodConfigs() {
    }

    static Config small(long version) {
        return sized(version, 1);
    }

    /** About {@code kilobytes} KB serialized: server groups of 100 servers each. */
    static Config sized(long version, int kilobytes) {
        Config.Builder config = Config.newBuilder().setClusterId(CLUSTER).setVersion(version);
        int servers = Math.max(1, kilobytes * 1024 / 28);
        ServerGroup.Builder group = null;
        for (int i = 0; i < servers; i++) {
            if (i % 100 == 0) {
                if (group != null) {
                    config.addServerGroups(group);
                }
                group = ServerGroup.newBuilder().setName("g" + i / 100).setTimeoutMs(500).setPeriodMs(1000).setUp(2).setDown(3);
            }
            group.addServers(Server.newBuilder().setName("s" + i).setAddress("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "."
                    + (i & 255) + ":8080").setWeight(10));
        }
        return config.addServerGroups(group).build();
    }
}
