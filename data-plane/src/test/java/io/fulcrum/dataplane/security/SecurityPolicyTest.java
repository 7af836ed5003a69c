package io.fulcrum.dataplane.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.proto.v1.PortRange;
import io.fulcrum.proto.v1.RuleAction;
import io.fulcrum.proto.v1.SecurityGroup;
import io.fulcrum.proto.v1.SecurityGroupRule;
import io.fulcrum.proto.v1.TransportProtocol;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SecurityPolicyTest {

    @Test
    void cidrsMatchV4AndV6() throws UnknownHostException {
        Cidr ten = Cidr.parse("10.0.0.0/8");
        assertTrue(ten.contains(ip("10.255.1.2")));
        assertFalse(ten.contains(ip("11.0.0.1")));
        assertFalse(ten.contains(ip("fd00::1")));
        Cidr odd = Cidr.parse("192.168.4.0/22");
        assertTrue(odd.contains(ip("192.168.7.255")));
        assertFalse(odd.contains(ip("192.168.8.0")));
        Cidr v6 = Cidr.parse("fd00::/8");
        assertTrue(v6.contains(ip("fd12:3456::1")));
        assertFalse(v6.contains(ip("fe80::1")));
        assertFalse(v6.contains(ip("10.0.0.1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
        assertTrue(Cidr.parse("::/0").contains(ip("2001:db8::9")));
        assertTrue(Cidr.parse("127.0.0.1/32").contains(ip("127.0.0.1")));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0"));
    }

    @Test
    void firstMatchingRuleDecidesElseTheDefault() throws UnknownHostException {
        SecurityPolicy policy = SecurityPolicy.of(SecurityGroup.newBuilder().setName("secg0")
                .setDefaultAction(RuleAction.RULE_ACTION_DENY)
                .addRules(rule("no-bad-host", "10.1.2.3/32", TransportProtocol.TRANSPORT_PROTOCOL_TCP, 1, 65535, false))
                .addRules(rule("lan-web", "10.0.0.0/8", TransportProtocol.TRANSPORT_PROTOCOL_TCP, 80, 443, true))
                .addRules(rule("dns-udp", "0.0.0.0/0", TransportProtocol.TRANSPORT_PROTOCOL_UDP, 1, 65535, true))
                .addRules(rule("v6-lan", "fd00::/8", TransportProtocol.TRANSPORT_PROTOCOL_TCP, 80, 80, true))
                .build());
        assertTrue(policy.allows(ip("10.9.9.9"), 80));
        assertTrue(policy.allows(ip("10.9.9.9"), 443));
        assertFalse(policy.allows(ip("10.9.9.9"), 444), "port outside the range: default deny");
        assertFalse(policy.allows(ip("10.1.2.3"), 80), "the first rule wins over a later allow");
        assertFalse(policy.allows(ip("192.0.2.1"), 80), "a UDP rule never lets TCP in");
        assertTrue(policy.allows(ip("fd00::7"), 80));
        assertFalse(policy.allows(ip("fd00::7"), 81));
    }

    @Test
    void allowAllAllowsEverything() throws UnknownHostException {
        assertTrue(SecurityPolicy.ALLOW_ALL.allows(ip("203.0.113.1"), 1));
        assertTrue(SecurityPolicy.ALLOW_ALL.allows(ip("::1"), 65535));
    }

    private static SecurityGroupRule rule(String name, String network, TransportProtocol protocol, int min, int max,
            boolean allow) {
        return SecurityGroupRule.newBuilder().setName(name).setNetwork(network).setProtocol(protocol)
                .setPortRange(PortRange.newBuilder().setMin(min).setMax(max))
                .setAction(allow ? RuleAction.RULE_ACTION_ALLOW : RuleAction.RULE_ACTION_DENY).build();
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
