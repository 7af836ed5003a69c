package io.fulcrum.ctl.command;

import io.fulcrum.config.model.Target;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Schema;
import io.fulcrum.ctl.output.Table;
import io.fulcrum.proto.v1.EventLoop;
import io.fulcrum.proto.v1.EventLoopGroup;
import io.fulcrum.proto.v1.SecurityGroup;
import io.fulcrum.proto.v1.SecurityGroupRule;
import io.fulcrum.proto.v1.Server;
import io.fulcrum.proto.v1.ServerGroup;
import io.fulcrum.proto.v1.ServerHealthSummary;
import io.fulcrum.proto.v1.TcpLb;
import io.fulcrum.proto.v1.Upstream;
import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.Vip;
import java.util.List;
import java.util.stream.Collectors;

/** The table of each kind for {@code fctl get}. */
final class Tables {
    private Tables() {
    }

    static Table of(Kind kind, List<Target> targets, List<ServerHealthSummary> health, List<DataPlaneNode> nodes) {
        return switch (kind) {
            case EVENT_LOOP_GROUP -> fill(new Table("EVENT-LOOP-GROUP", "EVENT-LOOPS"), targets, t -> {
                EventLoopGroup g = (EventLoopGroup) t.resource();
                return new Object[] {g.getName(), g.getEventLoopsList().stream().map(EventLoop::getName).collect(Collectors.joining(","))};
            });
            case EVENT_LOOP -> fill(new Table("EVENT-LOOP-GROUP", "EVENT-LOOP"), targets,
                    t -> new Object[] {t.parent(), ((EventLoop) t.resource()).getName()});
            case SERVER_GROUP -> fill(new Table("SERVER-GROUP", "METHOD", "HEALTH-CHECK", "EVENT-LOOP-GROUP", "SERVERS"), targets, t -> {
                ServerGroup g = (ServerGroup) t.resource();
                return new Object[] {g.getName(), Schema.field(kind, "method").format(g), Schema.field(kind, "protocol").format(g)
                        + " timeout " + g.getTimeoutMs() + " period " + g.getPeriodMs() + " up " + g.getUp() + " down " + g.getDown(),
                    g.getEventLoopGroup(), g.getServersCount()};
            });
            case SERVER -> fill(new Table("SERVER-GROUP", "SERVER", "ADDRESS", "WEIGHT", "HEALTH"), targets, t -> {
                Server s = (Server) t.resource();
                String state = health.stream().filter(h -> h.getServerGroup().equals(t.parent()) && h.getServer().equals(s.getName()))
                        .map(ServerHealthSummary::getAggregate).findFirst().orElse("UNKNOWN");
                return new Object[] {t.parent(), s.getName(), s.getAddress(), s.getWeight(), state};
            });
            case UPSTREAM -> fill(new Table("UPSTREAM", "SERVER-GROUPS"), targets, t -> {
                Upstream u = (Upstream) t.resource();
                return new Object[] {u.getName(), u.getServerGroupsList().stream().map(l -> l.getServerGroup() + ":" + l.getWeight())
                        .collect(Collectors.joining(","))};
            });
            case TCP_LB -> fill(new Table("TCP-LB", "ADDRESS", "UPSTREAM", "PROTOCOL", "TIMEOUT-MS", "SECURITY-GROUP"), targets, t -> {
                TcpLb l = (TcpLb) t.resource();
                return new Object[] {l.getName(), l.getAddress(), l.getUpstream(), Schema.field(kind, "protocol").format(l),
                    l.getTimeoutMs(), l.getSecurityGroup()};
            });
            case SECURITY_GROUP -> fill(new Table("SECURITY-GROUP", "DEFAULT", "RULES"), targets, t -> {
                SecurityGroup g = (SecurityGroup) t.resource();
                return new Object[] {g.getName(), Schema.field(kind, "default").format(g), g.getRulesCount()};
            });
            case SECURITY_GROUP_RULE -> fill(new Table("SECURITY-GROUP", "RULE", "NETWORK", "PROTOCOL", "PORTS", "ACTION"), targets, t -> {
                SecurityGroupRule r = (SecurityGroupRule) t.resource();
                return new Object[] {t.parent(), r.getName(), r.getNetwork(), Schema.field(kind, "protocol").format(r),
                    r.getPortRange().getMin() + "-" + r.getPortRange().getMax(), Schema.field(kind, "default").format(r)};
            });
            case VIP -> fill(new Table("VIP", "ADDRESS", "INTERFACE", "ROUTER-ID", "ADVERT-MS", "SELECTOR", "HOLDER", "NODES"),
                    targets, t -> {
                        Vip v = (Vip) t.resource();
                        return new Object[] {v.getName(), v.getAddress(), v.getInterface().isEmpty() ? "(route)" : v.getInterface(),
                            v.getRouterId(), v.getAdvertIntervalMs(),
                            v.getSelectorCount() == 0 ? "(all)" : Schema.field(kind, "selector").format(v),
                            VipRoles.holder(v.getName(), nodes), VipRoles.summary(v.getName(), nodes)};
                    });
            case CERT_KEY -> CertKeyTable.of(targets, java.time.Instant.now());
            case SERVER_GROUP_LINK -> throw new IllegalArgumentException("links are shown with their upstream");
        };
    }

    private interface Row {
        Object[] cells(Target target);
    }

    private static Table fill(Table table, List<Target> targets, Row row) {
        targets.forEach(t -> table.row(row.cells(t)));
        return table;
    }
}
