package io.fulcrum.config.model;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.proto.v1.CertKey;
import io.fulcrum.proto.v1.EventLoop;
import io.fulcrum.proto.v1.EventLoopGroup;
import io.fulcrum.proto.v1.EventLoopTarget;
import io.fulcrum.proto.v1.Mutation;
import io.fulcrum.proto.v1.MutationAction;
import io.fulcrum.proto.v1.Resource;
import io.fulcrum.proto.v1.SecurityGroup;
import io.fulcrum.proto.v1.SecurityGroupRule;
import io.fulcrum.proto.v1.SecurityGroupRuleTarget;
import io.fulcrum.proto.v1.Server;
import io.fulcrum.proto.v1.ServerGroup;
import io.fulcrum.proto.v1.ServerGroupLink;
import io.fulcrum.proto.v1.ServerGroupLinkTarget;
import io.fulcrum.proto.v1.ServerTarget;
import io.fulcrum.proto.v1.TcpLb;
import io.fulcrum.proto.v1.Upstream;
import io.fulcrum.proto.v1.Vip;

/**
 * What a mutation is about, in kind-neutral form: the kind, the container's name for nested
 * kinds (null otherwise) and the resource message. Converts from and to {@link Mutation}'s
 * oneof and {@link Resource}.
 */
public record Target(Kind kind, String parent, Message resource) {

    public String name() {
        return kind.nameOf(resource);
    }

    /** @throws ValidationException if the mutation names no target */
    public static Target of(Mutation mutation) {
        return switch (mutation.getTargetCase()) {
            case EVENT_LOOP_GROUP -> new Target(Kind.EVENT_LOOP_GROUP, null, mutation.getEventLoopGroup());
            case EVENT_LOOP -> new Target(Kind.EVENT_LOOP, mutation.getEventLoop().getEventLoopGroup(),
                    mutation.getEventLoop().getEventLoop());
            case SERVER_GROUP -> new Target(Kind.SERVER_GROUP, null, mutation.getServerGroup());
            case SERVER -> new Target(Kind.SERVER, mutation.getServer().getServerGroup(), mutation.getServer().getServer());
            case UPSTREAM -> new Target(Kind.UPSTREAM, null, mutation.getUpstream());
            case SERVER_GROUP_LINK -> new Target(Kind.SERVER_GROUP_LINK, mutation.getServerGroupLink().getUpstream(),
                    mutation.getServerGroupLink().getLink());
            case TCP_LB -> new Target(Kind.TCP_LB, null, mutation.getTcpLb());
            case SECURITY_GROUP -> new Target(Kind.SECURITY_GROUP, null, mutation.getSecurityGroup());
            case SECURITY_GROUP_RULE -> new Target(Kind.SECURITY_GROUP_RULE,
                    mutation.getSecurityGroupRule().getSecurityGroup(), mutation.getSecurityGroupRule().getRule());
            case VIP -> new Target(Kind.VIP, null, mutation.getVip());
            case CERT_KEY -> new Target(Kind.CERT_KEY, null, mutation.getCertKey());
            case TARGET_NOT_SET -> throw ValidationException.invalid(
                    "a mutation must name its target resource (one of the fields event_loop_group .. cert_key)");
        };
    }

    /** The mutation applying {@code action} to this target; {@code mask} is for UPDATE (may be null). */
    public Mutation toMutation(MutationAction action, FieldMask mask) {
        Mutation.Builder m = Mutation.newBuilder().setAction(action);
        if (mask != null) {
            m.setUpdateMask(mask);
        }
        switch (kind) {
            case EVENT_LOOP_GROUP -> m.setEventLoopGroup((EventLoopGroup) resource);
            case EVENT_LOOP -> m.setEventLoop(EventLoopTarget.newBuilder().setEventLoopGroup(parent)
                    .setEventLoop((EventLoop) resource));
            case SERVER_GROUP -> m.setServerGroup((ServerGroup) resource);
            case SERVER -> m.setServer(ServerTarget.newBuilder().setServerGroup(parent).setServer((Server) resource));
            case UPSTREAM -> m.setUpstream((Upstream) resource);
            case SERVER_GROUP_LINK -> m.setServerGroupLink(ServerGroupLinkTarget.newBuilder().setUpstream(parent)
                    .setLink((ServerGroupLink) resource));
            case TCP_LB -> m.setTcpLb((TcpLb) resource);
            case SECURITY_GROUP -> m.setSecurityGroup((SecurityGroup) resource);
            case SECURITY_GROUP_RULE -> m.setSecurityGroupRule(SecurityGroupRuleTarget.newBuilder()
                    .setSecurityGroup(parent).setRule((SecurityGroupRule) resource));
            case VIP -> m.setVip((Vip) resource);
            case CERT_KEY -> m.setCertKey((CertKey) resource);
            default -> throw new IllegalStateException("unhandled kind " + kind);
        }
        return m.build();
    }

    /** The target a {@link Resource} holds. */
    public static Target of(Resource resource) {
        String parent = resource.getParent().isEmpty() ? null : resource.getParent();
        return switch (resource.getValueCase()) {
            case EVENT_LOOP_GROUP -> new Target(Kind.EVENT_LOOP_GROUP, null, resource.getEventLoopGroup());
            case EVENT_LOOP -> new Target(Kind.EVENT_LOOP, parent, resource.getEventLoop());
            case SERVER_GROUP -> new Target(Kind.SERVER_GROUP, null, resource.getServerGroup());
            case SERVER -> new Target(Kind.SERVER, parent, resource.getServer());
            case UPSTREAM -> new Target(Kind.UPSTREAM, null, resource.getUpstream());
            case SERVER_GROUP_LINK -> new Target(Kind.SERVER_GROUP_LINK, parent, resource.getServerGroupLink());
            case TCP_LB -> new Target(Kind.TCP_LB, null, resource.getTcpLb());
            case SECURITY_GROUP -> new Target(Kind.SECURITY_GROUP, null, resource.getSecurityGroup());
            case SECURITY_GROUP_RULE -> new Target(Kind.SECURITY_GROUP_RULE, parent, resource.getSecurityGroupRule());
            case VIP -> new Target(Kind.VIP, null, resource.getVip());
            case CERT_KEY -> new Target(Kind.CERT_KEY, null, resource.getCertKey());
            case VALUE_NOT_SET -> throw ValidationException.invalid("a resource must hold one of its value fields");
        };
    }

    /** This target as a {@link Resource}. */
    public Resource toResource() {
        Resource.Builder r = Resource.newBuilder();
        if (parent != null) {
            r.setParent(parent);
        }
        switch (kind) {
            case EVENT_LOOP_GROUP -> r.setEventLoopGroup((EventLoopGroup) resource);
            case EVENT_LOOP -> r.setEventLoop((EventLoop) resource);
            case SERVER_GROUP -> r.setServerGroup((ServerGroup) resource);
            case SERVER -> r.setServer((Server) resource);
            case UPSTREAM -> r.setUpstream((Upstream) resource);
            case SERVER_GROUP_LINK -> r.setServerGroupLink((ServerGroupLink) resource);
            case TCP_LB -> r.setTcpLb((TcpLb) resource);
            case SECURITY_GROUP -> r.setSecurityGroup((SecurityGroup) resource);
            case SECURITY_GROUP_RULE -> r.setSecurityGroupRule((SecurityGroupRule) resource);
            case VIP -> r.setVip((Vip) resource);
            case CERT_KEY -> r.setCertKey((CertKey) resource);
            default -> throw new IllegalStateException("unhandled kind " + kind);
        }
        return r.build();
    }
}
