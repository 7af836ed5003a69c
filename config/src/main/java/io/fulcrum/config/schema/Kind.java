package io.fulcrum.config.schema;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import io.fulcrum.proto.v1.CertKey;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.EventLoop;
import io.fulcrum.proto.v1.EventLoopGroup;
import io.fulcrum.proto.v1.ResourceKind;
import io.fulcrum.proto.v1.SecurityGroup;
import io.fulcrum.proto.v1.SecurityGroupRule;
import io.fulcrum.proto.v1.Server;
import io.fulcrum.proto.v1.ServerGroup;
import io.fulcrum.proto.v1.ServerGroupLink;
import io.fulcrum.proto.v1.TcpLb;
import io.fulcrum.proto.v1.Upstream;
import io.fulcrum.proto.v1.Vip;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The resource kinds of the configuration, with where each lives in the proto model.
 *
 * <p>Top-level kinds are lists of {@link Config}; nested kinds (event loops, servers, server-group
 * links, security-group rules) are lists inside their parent. {@link #word()} is the type word of
 * the command language; a server-group link is spelled "server-group" there, with "upstream" as
 * its container.
 *
 * <p>The declaration order is a dependency order: a resource only refers to kinds declared before
 * it, so creating top-level kinds in this order (each container followed by its children) always
 * succeeds.
 */
public enum Kind {
    EVENT_LOOP_GROUP("event-loop-group", "elg", EventLoopGroup.getDefaultInstance(), null,
            "event_loop_groups", "name", ResourceKind.RESOURCE_KIND_EVENT_LOOP_GROUP,
            Set.of(BuiltIns.ACCEPTOR_ELG, BuiltIns.WORKER_ELG, BuiltIns.CONTROL_ELG)),
    EVENT_LOOP("event-loop", "el", EventLoop.getDefaultInstance(), EVENT_LOOP_GROUP,
            "event_loops", "name", ResourceKind.RESOURCE_KIND_EVENT_LOOP, Set.of()),
    SECURITY_GROUP("security-group", "secg", SecurityGroup.getDefaultInstance(), null,
            "security_groups", "name", ResourceKind.RESOURCE_KIND_SECURITY_GROUP,
            Set.of(BuiltIns.ALLOW_ALL)),
    SECURITY_GROUP_RULE("security-group-rule", "secgr", SecurityGroupRule.getDefaultInstance(),
            SECURITY_GROUP, "rules", "name", ResourceKind.RESOURCE_KIND_SECURITY_GROUP_RULE, Set.of()),
    CERT_KEY("cert-key", "ck", CertKey.getDefaultInstance(), null,
            "cert_keys", "name", ResourceKind.RESOURCE_KIND_CERT_KEY, Set.of()),
    SERVER_GROUP("server-group", "sg", ServerGroup.getDefaultInstance(), null,
            "server_groups", "name", ResourceKind.RESOURCE_KIND_SERVER_GROUP, Set.of()),
    SERVER("server", "svr", Server.getDefaultInstance(), SERVER_GROUP,
            "servers", "name", ResourceKind.RESOURCE_KIND_SERVER, Set.of()),
    UPSTREAM("upstream", "ups", Upstream.getDefaultInstance(), null,
            "upstreams", "name", ResourceKind.RESOURCE_KIND_UPSTREAM, Set.of()),
    SERVER_GROUP_LINK("server-group", "sg", ServerGroupLink.getDefaultInstance(), UPSTREAM,
            "server_groups", "server_group", ResourceKind.RESOURCE_KIND_SERVER_GROUP_LINK, Set.of()),
    TCP_LB("tcp-lb", "tl", TcpLb.getDefaultInstance(), null,
            "tcp_lbs", "name", ResourceKind.RESOURCE_KIND_TCP_LB, Set.of()),
    VIP("vip", "vip", Vip.getDefaultInstance(), null, "vips", "name", ResourceKind.RESOURCE_KIND_VIP, Set.of());

    private final String word;
    private final String shortWord;
    private final Message defaultInstance;
    private final Kind parent;
    private final FieldDescriptor listField;
    private final FieldDescriptor nameField;
    private final ResourceKind protoKind;
    private final Set<String> builtIns;

    Kind(String word, String shortWord, Message defaultInstance, Kind parent, String listField,
            String nameField, ResourceKind protoKind, Set<String> builtIns) {
        this.word = word;
        this.shortWord = shortWord;
        this.defaultInstance = defaultInstance;
        this.parent = parent;
        Descriptor container = parent == null ? Config.getDescriptor() : parent.descriptor();
        this.listField = container.findFieldByName(listField);
        this.nameField = defaultInstance.getDescriptorForType().findFieldByName(nameField);
        this.protoKind = protoKind;
        this.builtIns = builtIns;
    }

    /** The command-language type word, e.g. "server-group". */
    public String word() {
        return word;
    }

    /** The type word with its indefinite article: "an upstream", "a server". */
    public String withArticle() {
        return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }

    /** The short type word, e.g. "sg". */
    public String shortWord() {
        return shortWord;
    }

    public Descriptor descriptor() {
        return defaultInstance.getDescriptorForType();
    }

    public Message.Builder newBuilder() {
        return defaultInstance.newBuilderForType();
    }

    /** The container kind of a nested kind; null for a top-level kind. */
    public Kind parent() {
        return parent;
    }

    public boolean isNested() {
        return parent != null;
    }

    /** The repeated field holding resources of this kind: in {@link Config} or in the parent. */
    public FieldDescriptor listField() {
        return listField;
    }

    public String nameOf(MessageOrBuilder resource) {
        return (String) resource.getField(nameField);
    }

    public void setName(Message.Builder resource, String name) {
        resource.setField(nameField, name);
    }

    public FieldDescriptor nameField() {
        return nameField;
    }

    public ResourceKind protoKind() {
        return protoKind;
    }

    /** Names of the built-in resources of this kind: they always exist and cannot be changed. */
    public Set<String> builtIns() {
        return builtIns;
    }

    public boolean isBuiltIn(String name) {
        return builtIns.contains(name);
    }

    /** The nested kinds held by this kind (empty for kinds without children). */
    public List<Kind> children() {
        List<Kind> children = new ArrayList<>();
        for (Kind kind : values()) {
            if (kind.parent == this) {
                children.add(kind);
            }
        }
        return children;
    }

    /** The top-level kinds, in dependency order. */
    public static List<Kind> topLevel() {
        return Arrays.stream(values()).filter(k -> !k.isNested()).toList();
    }

    /**
     * The kind a resource's name refers to: a server-group link is named after the server group
     * it links, so that group cannot be removed while linked. Null for other kinds.
     */
    public Kind nameRefersTo() {
        return this == SERVER_GROUP_LINK ? SERVER_GROUP : null;
    }

    public static Kind of(ResourceKind protoKind) {
        for (Kind kind : values()) {
            if (kind.protoKind == protoKind) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no resource kind " + protoKind);
    }
}
