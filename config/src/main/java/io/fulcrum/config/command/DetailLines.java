package io.fulcrum.config.command;

import com.google.protobuf.Message;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.schema.BuiltIns;
import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Schema;
import io.fulcrum.proto.v1.CertKey;
import io.fulcrum.proto.v1.EventLoop;
import io.fulcrum.proto.v1.EventLoopGroup;
import io.fulcrum.proto.v1.SecurityGroup;
import io.fulcrum.proto.v1.SecurityGroupRule;
import io.fulcrum.proto.v1.Server;
import io.fulcrum.proto.v1.ServerGroup;
import io.fulcrum.proto.v1.ServerGroupLink;
import io.fulcrum.proto.v1.TcpLb;
import io.fulcrum.proto.v1.Vip;

/**
 * The {@code list-detail} line of each kind, in vproxy's format
 * ({@code backend1 -> connect-to 10.0.2.1:80 weight 10 currently UP}).
 */
final class DetailLines {
    private DetailLines() {
    }

    static String of(Kind kind, String parent, Message resource, ConfigModel model, ServerHealthView health,
            SourceStateView sources) {
        return switch (kind) {
            case EVENT_LOOP_GROUP -> ((EventLoopGroup) resource).getName() + " -> annotations " + format(kind, "annotations", resource);
            case EVENT_LOOP -> ((EventLoop) resource).getName() + " -> annotations " + format(kind, "annotations", resource);
            case SERVER_GROUP -> ((ServerGroup) resource).getName() + " -> " + serverGroup((ServerGroup) resource)
                    + sourceState((ServerGroup) resource, sources);
            case SERVER_GROUP_LINK -> link((ServerGroupLink) resource, model);
            case SERVER -> server(parent, (Server) resource, health);
            case UPSTREAM -> kind.nameOf(resource);
            case TCP_LB -> tcpLb((TcpLb) resource);
            case SECURITY_GROUP -> ((SecurityGroup) resource).getName() + " -> default " + format(kind, "default", resource);
            case SECURITY_GROUP_RULE -> rule((SecurityGroupRule) resource);
            case VIP -> vip((Vip) resource);
            case CERT_KEY -> CertKeyLine.of((CertKey) resource, java.time.Instant.now());
        };
    }

    private static String serverGroup(ServerGroup group) {
        Kind kind = Kind.SERVER_GROUP;
        return "timeout " + group.getTimeoutMs() + " period " + group.getPeriodMs() + " up " + group.getUp()
                + " down " + group.getDown() + " protocol " + format(kind, "protocol", group)
                + " method " + format(kind, "method", group) + " event-loop-group " + group.getEventLoopGroup()
                + " annotations " + format(kind, "annotations", group) + withDependents(group, "discovery")
                + withDependents(group, "tls")
                + (group.getHostHeader().isEmpty() ? "" : " host-header " + group.getHostHeader());
    }

    /**
     * {@code param} and the parameters that exist only with it, with their values in effect;
     * nothing for a group without {@code param} (no discovery source, no TLS).
     */
    private static String withDependents(ServerGroup group, String param) {
        if (!Schema.field(Kind.SERVER_GROUP, param).isSet(group)) {
            return "";
        }
        StringBuilder words = new StringBuilder();
        for (Field field : Schema.fields(Kind.SERVER_GROUP)) {
            if (field.param().equals(param) || param.equals(field.onlyWith())) {
                words.append(' ').append(field.param()).append(' ').append(field.format(group));
            }
        }
        return words.toString();
    }

    private static String sourceState(ServerGroup group, SourceStateView sources) {
        String state = group.getDiscovery().isEmpty() ? null : sources.state(group.getName());
        return state == null ? "" : " " + state;
    }

    private static String link(ServerGroupLink link, ConfigModel model) {
        ServerGroup group = (ServerGroup) model.find(Kind.SERVER_GROUP, null, link.getServerGroup()).orElseThrow();
        String line = link.getServerGroup() + " -> " + serverGroup(group) + " weight " + link.getWeight();
        return link.getAnnotationsCount() == 0 ? line
                : line + " link-annotations " + format(Kind.SERVER_GROUP_LINK, "annotations", link);
    }

    private static String server(String group, Server server, ServerHealthView health) {
        return server.getName() + " -> connect-to " + server.getAddress() + " weight " + server.getWeight()
                + (server.getPriority() == 0 ? "" : " priority " + server.getPriority())
                + (server.getDrain() ? " drain true" : "") + " currently " + health.state(group, server.getName());
    }

    private static String tcpLb(TcpLb lb) {
        StringBuilder line = new StringBuilder(lb.getName()).append(" -> acceptor ").append(lb.getAcceptorEventLoopGroup())
                .append(" worker ").append(lb.getEventLoopGroup()).append(" bind ").append(lb.getAddress())
                .append(" backend ").append(lb.getUpstream()).append(" in-buffer-size ").append(lb.getInBufferSize())
                .append(" out-buffer-size ").append(lb.getOutBufferSize())
                .append(" protocol ").append(format(Kind.TCP_LB, "protocol", lb));
        // defaults are left out, which keeps vproxy's documented line for the common case
        if (lb.getTimeoutMs() != Schema.DEFAULT_IDLE_TIMEOUT_MS) {
            line.append(" timeout ").append(lb.getTimeoutMs());
        }
        if (!lb.getSecurityGroup().equals(BuiltIns.ALLOW_ALL)) {
            line.append(" security-group ").append(lb.getSecurityGroup());
        }
        if (!lb.getCertKeys().isEmpty()) {
            line.append(" cert-key ").append(lb.getCertKeys());
        }
        if (lb.getAnnotationsCount() > 0) {
            line.append(" annotations ").append(format(Kind.TCP_LB, "annotations", lb));
        }
        return line.toString();
    }

    private static String rule(SecurityGroupRule rule) {
        Kind kind = Kind.SECURITY_GROUP_RULE;
        return rule.getName() + " -> " + format(kind, "default", rule) + " " + rule.getNetwork() + " protocol "
                + format(kind, "protocol", rule) + " port [" + rule.getPortRange().getMin() + ","
                + rule.getPortRange().getMax() + "]";
    }

    private static String vip(Vip vip) {
        StringBuilder line = new StringBuilder(vip.getName()).append(" -> address ").append(vip.getAddress())
                .append(" interface ").append(vip.getInterface().isEmpty() ? "(route)" : vip.getInterface())
                .append(" router-id ").append(vip.getRouterId()).append(" advert ").append(vip.getAdvertIntervalMs())
                .append(" vrrp v").append(io.fulcrum.config.schema.Vrrp.version(vip.getAdvertIntervalMs()));
        if (!vip.getPassword().isEmpty()) {
            line.append(" password (set)");
        }
        line.append(" selector ").append(vip.getSelectorCount() == 0 ? "(all)" : format(Kind.VIP, "selector", vip));
        return line.toString();
    }

    private static String format(Kind kind, String param, Message resource) {
        Field field = Schema.field(kind, param);
        return field.format(resource);
    }
}
