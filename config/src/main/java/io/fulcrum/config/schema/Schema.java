package io.fulcrum.config.schema;

import static io.fulcrum.config.schema.Kind.CERT_KEY;
import static io.fulcrum.config.schema.Kind.EVENT_LOOP;
import static io.fulcrum.config.schema.Kind.EVENT_LOOP_GROUP;
import static io.fulcrum.config.schema.Kind.SECURITY_GROUP;
import static io.fulcrum.config.schema.Kind.SECURITY_GROUP_RULE;
import static io.fulcrum.config.schema.Kind.SERVER;
import static io.fulcrum.config.schema.Kind.SERVER_GROUP;
import static io.fulcrum.config.schema.Kind.SERVER_GROUP_LINK;
import static io.fulcrum.config.schema.Kind.TCP_LB;
import static io.fulcrum.config.schema.Kind.UPSTREAM;
import static io.fulcrum.config.schema.Kind.VIP;

import io.fulcrum.proto.v1.BalanceMethod;
import io.fulcrum.proto.v1.HealthCheckProtocol;
import io.fulcrum.proto.v1.ListenerProtocol;
import io.fulcrum.proto.v1.RuleAction;
import io.fulcrum.proto.v1.TlsVerify;
import io.fulcrum.proto.v1.TransportProtocol;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one table of every configurable field of every resource kind. The command grammar, the
 * model's validation, the script renderer, {@code man} and {@code docs/commands.md} all read it.
 */
public final class Schema {
    /** Largest in/out buffer size, bytes. */
    public static final int MAX_BUFFER = 64 * 1024 * 1024;
    public static final int MAX_WEIGHT = 1000;
    public static final int DEFAULT_WEIGHT = 10;
    public static final int DEFAULT_BUFFER = 16384;
    public static final int DEFAULT_IDLE_TIMEOUT_MS = 900_000;
    public static final int DEFAULT_DISCOVERY_INTERVAL_MS = 5000;
    public static final int DEFAULT_DISCOVERY_TIMEOUT_MS = 2000;
    public static final int DEFAULT_DISCOVERY_HOLD_EMPTY_MS = 30_000;
    public static final int MAX_PRIORITY = 65535;

    private static final Map<Kind, List<Field>> FIELDS = build();

    private Schema() {
    }

    /** The fields of {@code kind} in their canonical order (the order of rendered commands). */
    public static List<Field> fields(Kind kind) {
        return FIELDS.get(kind);
    }

    /** The field of {@code kind} whose parameter word or short word is {@code word}; null if none. */
    public static Field field(Kind kind, String word) {
        for (Field field : FIELDS.get(kind)) {
            if (field.param().equals(word) || word.equals(field.shortParam())) {
                return field;
            }
        }
        return null;
    }

    /** The field of {@code kind} backed by the proto field {@code protoName}; null if none. */
    public static Field fieldByProtoName(Kind kind, String protoName) {
        for (Field field : FIELDS.get(kind)) {
            if (field.protoName().equals(protoName)) {
                return field;
            }
        }
        return null;
    }

    public static List<Field> updatableFields(Kind kind) {
        return FIELDS.get(kind).stream().filter(Field::updatable).toList();
    }

    private static Map<Kind, List<Field>> build() {
        Map<Kind, List<Field>> fields = new EnumMap<>(Kind.class);
        fields.put(EVENT_LOOP_GROUP, List.of(annotations(EVENT_LOOP_GROUP, false).build()));
        fields.put(EVENT_LOOP, List.of(annotations(EVENT_LOOP, false).build()));
        fields.put(SERVER_GROUP, serverGroup());
        fields.put(SERVER, List.of(
                Field.of(SERVER, "address", "address", new AddressType(true),
                        "where the server listens; a host name is resolved by each data-plane node")
                        .shortParam("addr").required().build(),
                weight(SERVER, "share of new connections; 0 takes none (existing ones finish)"),
                Field.of(SERVER, "priority", "priority", new IntType(0, MAX_PRIORITY, ""),
                        "servers with the lowest value take the connections; higher values are backups, used while "
                                + "no server with a lower value is available").defaultValue(0).updatable().build(),
                Field.of(SERVER, "drain", "drain", new BoolType(),
                        "true: no new connections go to the server on any data plane, open ones finish (fctl drain); "
                                + "the weight is kept for false").defaultValue(false).updatable().build()));
        fields.put(UPSTREAM, List.of());
        fields.put(SERVER_GROUP_LINK, List.of(
                weight(SERVER_GROUP_LINK, "share of new connections the upstream gives this server group"),
                annotations(SERVER_GROUP_LINK, true).updatable().build()));
        fields.put(TCP_LB, tcpLb());
        fields.put(VIP, vip());
        fields.put(CERT_KEY, List.of(
                Field.of(CERT_KEY, "cert", "cert", new PemChainType(),
                        "the certificate and its chain, leaf first: comma-separated PEM files, read by fctl on the "
                                + "operator's machine (docs/tls.md)").required().updatable().build(),
                Field.of(CERT_KEY, "key", "key", new PemKeyType(),
                        "the leaf's private key: a PEM file, read by fctl; replicated to every data plane, never shown")
                        .required().updatable().build()));
        fields.put(SECURITY_GROUP, List.of(
                Field.of(SECURITY_GROUP, "default", "default_action", ruleAction(),
                        "what happens to a connection no rule matches").required().updatable().build()));
        fields.put(SECURITY_GROUP_RULE, List.of(
                Field.of(SECURITY_GROUP_RULE, "network", "network", new CidrType(),
                        "client network the rule matches").shortParam("net").required().build(),
                Field.of(SECURITY_GROUP_RULE, "protocol", "protocol",
                        new EnumType(TransportProtocol.getDescriptor(), "TRANSPORT_PROTOCOL_", true, Set.of()),
                        "transport protocol the rule matches").required().build(),
                Field.of(SECURITY_GROUP_RULE, "port-range", "port_range", new PortRangeType(),
                        "listener ports the rule matches").required().build(),
                Field.of(SECURITY_GROUP_RULE, "default", "action", ruleAction(),
                        "what happens to a matching connection").required().build()));
        for (Kind kind : Kind.values()) {
            if (!fields.containsKey(kind)) {
                throw new IllegalStateException("no fields for " + kind);
            }
        }
        return Collections.unmodifiableMap(fields);
    }

    private static List<Field> serverGroup() {
        IntType millis = new IntType(1, 3_600_000, "ms");
        IntType count = new IntType(1, 1000, "");
        return List.of(
                Field.of(SERVER_GROUP, "timeout", "timeout_ms", millis, "health-check timeout").required().updatable().build(),
                Field.of(SERVER_GROUP, "period", "period_ms", millis,
                        "pause between the end of one check and the start of the next").required().updatable().build(),
                Field.of(SERVER_GROUP, "up", "up", count, "consecutive successful checks that mark a server UP")
                        .required().updatable().build(),
                Field.of(SERVER_GROUP, "down", "down", count, "consecutive failed checks that mark a server DOWN")
                        .required().updatable().build(),
                Field.of(SERVER_GROUP, "protocol", "protocol",
                        new EnumType(HealthCheckProtocol.getDescriptor(), "HEALTH_CHECK_PROTOCOL_", false, Set.of()),
                        "health check: tcp connects, http sends a request and expects a status, none marks servers UP")
                        .defaultValue(HealthCheckProtocol.HEALTH_CHECK_PROTOCOL_TCP.getValueDescriptor()).updatable().build(),
                Field.of(SERVER_GROUP, "method", "method",
                        new EnumType(BalanceMethod.getDescriptor(), "BALANCE_METHOD_", false, Set.of()),
                        "wrr: smooth weighted round robin; wlc: weighted least connections; "
                                + "source: consistent hash of the client address")
                        .shortParam("meth").defaultValue(BalanceMethod.BALANCE_METHOD_WRR.getValueDescriptor())
                        .updatable().build(),
                Field.of(SERVER_GROUP, "event-loop-group", "event_loop_group", new NameRefType(EVENT_LOOP_GROUP),
                        "where the health checks run").shortParam("elg").defaultValue(BuiltIns.CONTROL_ELG).build(),
                annotations(SERVER_GROUP, true).updatable().build(),
                Field.of(SERVER_GROUP, "discovery", "discovery", new DiscoveryType(),
                        "where the servers come from: the control-plane leader resolves it and owns the servers "
                                + "(see docs/discovery.md); none: servers are added by hand")
                        .defaultValue("").updatable().build(),
                Field.of(SERVER_GROUP, "discovery-resolver", "discovery_resolver", new ResolverList(),
                        "DNS servers asked in order (only with discovery)").defaultValue("").updatable().onlyWith("discovery").build(),
                Field.of(SERVER_GROUP, "discovery-interval", "discovery_interval_ms",
                        new IntType(100, 3_600_000, "ms"),
                        "pause between two resolutions; at most one change is committed per interval (only with discovery)")
                        .defaultValue(DEFAULT_DISCOVERY_INTERVAL_MS).updatable().onlyWith("discovery").build(),
                Field.of(SERVER_GROUP, "discovery-timeout", "discovery_timeout_ms",
                        new IntType(1, 60_000, "ms"),
                        "timeout of one DNS query; a timeout keeps the servers (only with discovery)")
                        .defaultValue(DEFAULT_DISCOVERY_TIMEOUT_MS).updatable().onlyWith("discovery").build(),
                Field.of(SERVER_GROUP, "discovery-hold-empty", "discovery_hold_empty_ms",
                        new IntType(1, 86_400_000, "ms"),
                        "how long an empty answer must last before the servers are removed (only with discovery)")
                        .defaultValue(DEFAULT_DISCOVERY_HOLD_EMPTY_MS).updatable().onlyWith("discovery").build(),
                Field.of(SERVER_GROUP, "tls", "tls", new BoolType(),
                        "true: connections to the servers speak TLS (traffic and HTTP health checks; docs/tls.md)")
                        .defaultValue(false).updatable().build(),
                Field.of(SERVER_GROUP, "sni", "sni", new SniNameType(),
                        "the SNI name sent and verified in the server's certificate; server: the server's host name "
                                + "(none for an IP address, whose certificate must then name the IP) (only with tls)")
                        .defaultValue("").updatable().onlyWith("tls").build(),
                Field.of(SERVER_GROUP, "ca-cert-key", "ca_cert_keys", new NameListType(CERT_KEY),
                        "trust the certificates of these cert-keys when verifying the servers; none: the JDK's trust "
                                + "store (only with tls)").defaultValue("").updatable().onlyWith("tls").build(),
                Field.of(SERVER_GROUP, "tls-verify", "tls_verify",
                        new EnumType(TlsVerify.getDescriptor(), "TLS_VERIFY_", false, Set.of()),
                        "on: the server's chain must lead to a trusted certificate and name the SNI/host; "
                                + "insecure-skip-verify: any certificate is accepted, no protection against a man in "
                                + "the middle (logged as a warning) (only with tls)")
                        .defaultValue(TlsVerify.TLS_VERIFY_ON.getValueDescriptor()).updatable().onlyWith("tls").build(),
                Field.of(SERVER_GROUP, "host-header", "host_header", new HostHeaderType(),
                        "the Host header of requests to the servers (HTTP listeners, and HTTP health checks without "
                                + "fulcrum/hc-http-host); none: the client's Host is kept")
                        .defaultValue("").updatable().build(),
                Field.of(SERVER_GROUP, "slow-start", "slow_start_ms", new IntType(0, 3_600_000, "ms"),
                        "a server that comes back (UP again, undrained, weight raised from 0, or added) ramps "
                                + "from 10 % to its full share of new connections over this window; 0: off "
                                + "(wrr and wlc; source hashing does not ramp)")
                        .defaultValue(0).updatable().build());
    }

    private static List<Field> tcpLb() {
        IntType buffer = new IntType(1, MAX_BUFFER, "bytes");
        return List.of(
                Field.of(TCP_LB, "address", "address", new AddressType(false),
                        "address to bind on every data-plane node").shortParam("addr").required().build(),
                Field.of(TCP_LB, "upstream", "upstream", new NameRefType(UPSTREAM), "where connections go")
                        .shortParam("ups").required().build(),
                Field.of(TCP_LB, "acceptor-elg", "acceptor_event_loop_group", new NameRefType(EVENT_LOOP_GROUP),
                        "event loops that accept connections").shortParam("aelg").defaultValue(BuiltIns.ACCEPTOR_ELG).build(),
                Field.of(TCP_LB, "event-loop-group", "event_loop_group", new NameRefType(EVENT_LOOP_GROUP),
                        "event loops that relay the traffic").shortParam("elg").defaultValue(BuiltIns.WORKER_ELG).build(),
                Field.of(TCP_LB, "in-buffer-size", "in_buffer_size", buffer,
                        "bytes read from a client before pausing until the server takes them")
                        .defaultValue(DEFAULT_BUFFER).updatable().build(),
                Field.of(TCP_LB, "out-buffer-size", "out_buffer_size", buffer,
                        "bytes read from a server before pausing until the client takes them")
                        .defaultValue(DEFAULT_BUFFER).updatable().build(),
                Field.of(TCP_LB, "timeout", "timeout_ms", new IntType(1, Integer.MAX_VALUE, "ms"),
                        "idle timeout of a connection").defaultValue(DEFAULT_IDLE_TIMEOUT_MS).updatable().build(),
                Field.of(TCP_LB, "protocol", "protocol",
                        new EnumType(ListenerProtocol.getDescriptor(), "LISTENER_PROTOCOL_", false,
                                Set.of("h2", "http/1.x", "dubbo", "framed-int32", "socks5")),
                        "tcp relays bytes; http routes each HTTP/1.1 request")
                        .defaultValue(ListenerProtocol.LISTENER_PROTOCOL_TCP.getValueDescriptor()).build(),
                Field.of(TCP_LB, "security-group", "security_group", new NameRefType(SECURITY_GROUP),
                        "rules checked when a connection is accepted").shortParam("secg")
                        .defaultValue(BuiltIns.ALLOW_ALL).updatable().build(),
                annotations(TCP_LB, true).updatable().build(),
                Field.of(TCP_LB, "cert-key", "cert_keys", new NameListType(CERT_KEY),
                        "terminate TLS with these cert-keys, picked by SNI (exact name, then wildcard, then the first); "
                                + "none: no TLS").shortParam("ck").defaultValue("").updatable().build());
    }

    private static List<Field> vip() {
        return List.of(
                Field.of(VIP, "address", "address", new VipAddressType(),
                        "the virtual address with the prefix of its subnet").shortParam("addr").required().build(),
                Field.of(VIP, "interface", "interface", new InterfaceNameType(),
                        "interface that carries the address; default: on each node, the one whose subnet holds it")
                        .shortParam("if").defaultValue("").build(),
                Field.of(VIP, "router-id", "router_id", new IntType(1, 255, ""),
                        "VRRP virtual router id, unique among the VIPs of one interface").shortParam("vrid").required().build(),
                Field.of(VIP, "advert", "advert_interval_ms", new AdvertIntervalType(),
                        "VRRP advertisement interval: whole seconds use VRRPv2, less than a second VRRPv3; "
                                + "failover takes about 3 intervals")
                        .defaultValue(Vrrp.DEFAULT_ADVERT_MS).updatable().build(),
                Field.of(VIP, "password", "password", new VrrpPasswordType(),
                        "VRRPv2 simple password (auth_type PASS); keeps apart routers that share a router id, "
                                + "no security").defaultValue("").updatable().build(),
                Field.of(VIP, "selector", "selector", new LabelSelectorType(),
                        "the data planes that take part: those with every --label pair; default all")
                        .shortParam("sel").defaultValue(Map.of()).updatable().build());
    }

    private static Field weight(Kind kind, String help) {
        return Field.of(kind, "weight", "weight", new IntType(0, MAX_WEIGHT, ""), help)
                .defaultValue(DEFAULT_WEIGHT).updatable().build();
    }

    private static Field.Builder annotations(Kind kind, boolean withKnownKeys) {
        List<AnnotationKey> known = !withKnownKeys ? List.of() : AnnotationKeys.of(kind);
        return Field.of(kind, "annotations", "annotations", new AnnotationsType(known),
                "free-form string pairs; keys under fulcrum/ configure Fulcrum")
                .shortParam("anno").defaultValue(Map.of());
    }

    private static EnumType ruleAction() {
        return new EnumType(RuleAction.getDescriptor(), "RULE_ACTION_", false, Set.of());
    }
}
