package io.fulcrum.dataplane.security;

import io.fulcrum.config.schema.BuiltIns;
import io.fulcrum.proto.v1.RuleAction;
import io.fulcrum.proto.v1.SecurityGroup;
import io.fulcrum.proto.v1.SecurityGroupRule;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A security group ready for the accept path: the first rule that matches decides, else the
 * default. Rules are parsed once per applied config. Immutable and thread-safe.
 */
public final class SecurityPolicy {
    /** The built-in (allow-all): no rules, default allow. */
    public static final SecurityPolicy ALLOW_ALL = new SecurityPolicy(BuiltIns.ALLOW_ALL, List.of(), true);

    private final String name;
    private final List<SecurityRule> rules;
    private final boolean allowByDefault;

    public SecurityPolicy(String name, List<SecurityRule> rules, boolean allowByDefault) {
        this.name = name;
        this.rules = List.copyOf(rules);
        this.allowByDefault = allowByDefault;
    }

    public static SecurityPolicy of(SecurityGroup group) {
        List<SecurityRule> rules = new ArrayList<>();
        for (SecurityGroupRule rule : group.getRulesList()) {
            rules.add(SecurityRule.of(rule));
        }
        return new SecurityPolicy(group.getName(), rules, group.getDefaultAction() == RuleAction.RULE_ACTION_ALLOW);
    }

    /** Whether a TCP connection from {@code client} to a listener on {@code port} is let in. */
    public boolean allows(InetAddress client, int port) {
        for (SecurityRule rule : rules) {
            if (rule.matches(client, port)) {
                return rule.allow();
            }
        }
        return allowByDefault;
    }

    public String name() {
        return name;
    }
}
