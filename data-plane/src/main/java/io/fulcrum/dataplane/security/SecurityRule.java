package io.fulcrum.dataplane.security;

import io.fulcrum.proto.v1.RuleAction;
import io.fulcrum.proto.v1.SecurityGroupRule;
import io.fulcrum.proto.v1.TransportProtocol;
import java.net.InetAddress;

/**
 * One rule of a security group: client network, transport protocol and listener port range.
 * A UDP rule never matches a TCP listener.
 */
public record SecurityRule(String name, Cidr network, boolean tcp, int minPort, int maxPort, boolean allow) {

    public static SecurityRule of(SecurityGroupRule rule) {
        boolean tcp = rule.getProtocol() != TransportProtocol.TRANSPORT_PROTOCOL_UDP;
        int min = rule.hasPortRange() ? rule.getPortRange().getMin() : 1;
        int max = rule.hasPortRange() ? rule.getPortRange().getMax() : 65535;
        return new SecurityRule(rule.getName(), Cidr.parse(rule.getNetwork()), tcp, min, max,
                rule.getAction() == RuleAction.RULE_ACTION_ALLOW);
    }

    /** True when this rule decides for a TCP connection from {@code client} to {@code port}. */
    public boolean matches(InetAddress client, int port) {
        return tcp && port >= minPort && port <= maxPort && network.contains(client);
    }
}
