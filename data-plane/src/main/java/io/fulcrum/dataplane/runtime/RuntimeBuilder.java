package io.fulcrum.dataplane.runtime;

import io.fulcrum.config.schema.AnnotationKey;
import io.fulcrum.dataplane.proxyprotocol.ProxyProtocol;
import io.fulcrum.dataplane.proxyprotocol.TrustedNetworks;
import io.fulcrum.dataplane.accesslog.AccessLogFormat;
import io.fulcrum.dataplane.accesslog.AccessLogWriter;
import io.fulcrum.dataplane.accesslog.AccessLogs;
import io.fulcrum.dataplane.metrics.HttpRouteStats;
import io.fulcrum.config.schema.BuiltIns;
import io.fulcrum.config.schema.HostPort;
import io.fulcrum.config.schema.IpLiterals;
import io.fulcrum.config.schema.StatusRanges;
import io.fulcrum.dataplane.balance.Selector;
import io.fulcrum.dataplane.health.HealthCheck;
import io.fulcrum.dataplane.health.HealthChecker;
import io.fulcrum.dataplane.health.HealthPolicy;
import io.fulcrum.dataplane.health.HealthRegistry;
import io.fulcrum.dataplane.health.HttpCheck;
import io.fulcrum.dataplane.health.ServerKey;
import io.fulcrum.dataplane.health.TcpCheck;
import io.fulcrum.dataplane.metrics.TrafficStats;
import io.fulcrum.dataplane.security.SecurityPolicy;
import io.fulcrum.dataplane.tls.ClientContexts;
import io.fulcrum.dataplane.tls.Origination;
import io.fulcrum.dataplane.tls.ServerContexts;
import io.fulcrum.dataplane.tls.SniTermination;
import io.fulcrum.proto.v1.CertKey;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.EventLoop;
import io.fulcrum.proto.v1.EventLoopGroup;
import io.fulcrum.proto.v1.HealthCheckProtocol;
import io.fulcrum.proto.v1.ListenerProtocol;
import io.fulcrum.proto.v1.SecurityGroup;
import io.fulcrum.proto.v1.Server;
import io.fulcrum.proto.v1.ServerGroup;
import io.fulcrum.proto.v1.ServerGroupLink;
import io.fulcrum.proto.v1.TcpLb;
import io.fulcrum.proto.v1.TlsVerify;
import io.fulcrum.proto.v1.Upstream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a validated {@link Config} into a {@link Runtime}. Reuses what survives from earlier
 * configs: event loops by (group, loop) name, health state and counters by (group, server,
 * address). Resolves server host names (blocking, on the applying thread). Builds nothing that
 * needs undoing except event loops, which the caller retires when the config is rejected.
 *
 * <p>Not thread-safe: the applier calls it from one thread at a time.
 */
public final class RuntimeBuilder {
    private static final Logger log = LoggerFactory.getLogger(RuntimeBuilder.class);
    private final Transport transport;
    private final EventLoops eventLoops;
    private final Map<String, List<String>> builtInGroups;
    private final HealthRegistry health;
    private final TrafficStats stats;
    private final AccessLogs accessLogs;
    private final Random random;
    private final ServerContexts tlsContexts;
    private final ClientContexts originationContexts = new ClientContexts();

    /**
     * @param builtInGroups the loops of (acceptor-elg), (worker-elg) and (control-elg) on this node
     * @param accessLogs    where HTTP listeners' access-log writers come from (opened while building)
     * @param clock         when session-ticket keys rotate
     */
    public RuntimeBuilder(Transport transport, EventLoops eventLoops, Map<String, List<String>> builtInGroups,
            HealthRegistry health, TrafficStats stats, AccessLogs accessLogs, Random random, java.time.Clock clock) {
        this.tlsContexts = new ServerContexts(clock);
        this.transport = transport;
        this.eventLoops = eventLoops;
        this.builtInGroups = Map.copyOf(builtInGroups);
        this.health = health;
        this.stats = stats;
        this.accessLogs = accessLogs;
        this.random = random;
    }

    /** @throws RejectedConfigException if the config uses something this data plane cannot do */
    public Runtime build(Config config) {
        Loops loops = new Loops(config);
        Map<String, BackendGroup> groups = new LinkedHashMap<>();
        for (ServerGroup group : config.getServerGroupsList()) {
            groups.put(group.getName(), backendGroup(group, loops.group(group.getEventLoopGroup()), origination(group, config)));
        }
        Map<String, UpstreamRoute> upstreams = new HashMap<>();
        for (Upstream upstream : config.getUpstreamsList()) {
            upstreams.put(upstream.getName(), upstream(upstream, groups));
        }
        Map<String, SecurityPolicy> policies = securityPolicies(config);
        Map<String, Route> routes = new LinkedHashMap<>();
        for (TcpLb lb : config.getTcpLbsList()) {
            HttpRoute http = lb.getProtocol() != ListenerProtocol.LISTENER_PROTOCOL_HTTP ? null
                    : httpRoute(lb, upstreams.get(lb.getUpstream()), config);
            routes.put(lb.getName(), route(lb, upstreams, policies, loops, http, tls(lb, config)));
        }
        return new Runtime(config.getVersion(), routes, groups, loops.inUse);
    }

    /**
     * Releases the TLS contexts {@code applied} (the runtime now swapped in) does not use, also
     * those built for a config that was then rejected.
     */
    public void retainTlsContextsOf(Runtime applied) {
        tlsContexts.retain(applied.tlsContextKeys());
        originationContexts.retain(applied.originationContextKeys());
    }

    /** Sets the session-ticket keys of the current period on every server context; thread-safe (a timer calls it). */
    public void rotateTicketKeys() {
        tlsContexts.rotateTicketKeys();
    }

    /** How {@code group} talks TLS to its servers; null without {@code tls}. Warns, once per config, of no verification. */
    private Origination origination(ServerGroup group, Config config) {
        if (!group.getTls()) {
            return null;
        }
        boolean verify = group.getTlsVerify() != TlsVerify.TLS_VERIFY_INSECURE_SKIP_VERIFY;
        if (!verify) {
            log.warn("server-group {}: tls-verify insecure-skip-verify: the servers' certificates are NOT verified, "
                    + "anyone on the path can impersonate them", group.getName());
        }
        try {
            return originationContexts.origination(group.getName(), certKeys(group.getCaCertKeys(), config),
                    group.getSni().isEmpty() ? null : group.getSni(), verify);
        } catch (IllegalArgumentException e) {
            throw new RejectedConfigException("server-group " + group.getName() + ": " + e.getMessage(), e);
        }
    }

    /** The cert-keys named in {@code names} (comma-separated, each known to the validated config), in order. */
    private static List<CertKey> certKeys(String names, Config config) {
        if (names.isEmpty()) {
            return List.of();
        }
        Map<String, CertKey> byName = new HashMap<>();
        config.getCertKeysList().forEach(ck -> byName.put(ck.getName(), ck));
        List<CertKey> certKeys = new ArrayList<>();
        for (String name : names.split(",")) {
            certKeys.add(byName.get(name));
        }
        return certKeys;
    }

    /** The TLS termination of {@code lb}; null when it names no cert-key. */
    private SniTermination tls(TcpLb lb, Config config) {
        if (lb.getCertKeys().isEmpty()) {
            return null;
        }
        try {
            return tlsContexts.termination(certKeys(lb.getCertKeys(), config),
                    lb.getProtocol() == ListenerProtocol.LISTENER_PROTOCOL_HTTP);
        } catch (IllegalArgumentException e) {
            throw new RejectedConfigException("tcp-lb " + lb.getName() + ": " + e.getMessage(), e);
        }
    }

    /** The event-loop groups one config uses, created on first use; remembers every loop it handed out. */
    private final class Loops {
        private final Map<String, List<String>> names = new HashMap<>(builtInGroups);
        private final Map<String, LoopGroup> groups = new HashMap<>();
        private final Set<LoopKey> inUse = new HashSet<>();

        Loops(Config config) {
            for (EventLoopGroup group : config.getEventLoopGroupsList()) {
                names.put(group.getName(), group.getEventLoopsList().stream().map(EventLoop::getName).toList());
            }
        }

        LoopGroup group(String name) {
            return groups.computeIfAbsent(name, n -> {
                LoopGroup group = eventLoops.group(n, names.getOrDefault(n, List.of()));
                if (group.loops().isEmpty()) {
                    throw new RejectedConfigException("event-loop-group " + n + " has no event loop");
                }
                inUse.addAll(group.keys());
                return group;
            });
        }
    }

    private static Map<String, SecurityPolicy> securityPolicies(Config config) {
        Map<String, SecurityPolicy> policies = new HashMap<>();
        policies.put(BuiltIns.ALLOW_ALL, SecurityPolicy.ALLOW_ALL);
        for (SecurityGroup group : config.getSecurityGroupsList()) {
            policies.put(group.getName(), SecurityPolicy.of(group));
        }
        return policies;
    }

    private Route route(TcpLb lb, Map<String, UpstreamRoute> upstreams, Map<String, SecurityPolicy> policies,
            Loops loops, HttpRoute http, SniTermination tls) {
        HostPort hostPort = HostPort.parse(lb.getAddress(), false);
        InetSocketAddress address = new InetSocketAddress(literal(hostPort.host()), hostPort.port());
        LoopGroup acceptors = loops.group(lb.getAcceptorEventLoopGroup());
        LoopGroup workers = loops.group(lb.getEventLoopGroup());
        ListenerSpec spec = new ListenerSpec(lb.getName(), address, acceptors.keys());
        return new Route(spec, upstreams.get(lb.getUpstream()), policies.get(lb.getSecurityGroup()), workers, acceptors,
                lb.getTimeoutMs(), Buffers.of(lb.getInBufferSize(), lb.getOutBufferSize()), stats.listener(lb.getName()),
                http, TrustedNetworks.parse(lb.getAnnotationsMap().get(AnnotationKey.PROXY_PROTOCOL_ACCEPT.key())), tls);
    }

    /** The router over the upstream's links and their hints, the settings, the access log and the counters. */
    private HttpRoute httpRoute(TcpLb lb, UpstreamRoute upstream, Config config) {
        HttpSettings settings = HttpSettings.of(lb.getAnnotationsMap());
        Upstream declared = config.getUpstreamsList().stream().filter(u -> u.getName().equals(lb.getUpstream()))
                .findFirst().orElseThrow();
        List<HttpRouter.HintedLink> hinted = new ArrayList<>();
        Map<String, HttpRouteStats> groupStats = new HashMap<>();
        for (int i = 0; i < declared.getServerGroupsCount(); i++) {
            Map<String, String> annotations = declared.getServerGroups(i).getAnnotationsMap();
            String hosts = annotations.get(AnnotationKey.HINT_HOST.key());
            hinted.add(new HttpRouter.HintedLink(upstream.links().get(i),
                    hosts == null ? List.of() : AnnotationKey.hostPatterns(hosts), annotations.get(AnnotationKey.HINT_URI.key())));
            String group = declared.getServerGroups(i).getServerGroup();
            groupStats.put(group, stats.httpRoute(lb.getName(), group));
        }
        AccessLogWriter log = null;
        if (!settings.accessLog().equals("off")) {
            try {
                log = accessLogs.open(settings.accessLog());
            } catch (UncheckedIOException e) {
                throw new RejectedConfigException("tcp-lb " + lb.getName() + ": " + e.getMessage(), e);
            }
        }
        return new HttpRoute(settings, HttpRouter.of(upstream.name(), hinted, random), log,
                AccessLogFormat.parse(settings.accessLogFormat()), groupStats,
                stats.httpRoute(lb.getName(), HttpRouteStats.NO_GROUP));
    }

    private UpstreamRoute upstream(Upstream upstream, Map<String, BackendGroup> groups) {
        List<UpstreamRoute.Link> links = new ArrayList<>();
        for (ServerGroupLink link : upstream.getServerGroupsList()) {
            links.add(new UpstreamRoute.Link(groups.get(link.getServerGroup()), link.getWeight()));
        }
        return new UpstreamRoute(upstream.getName(), links, random);
    }

    private BackendGroup backendGroup(ServerGroup group, LoopGroup checkLoops, Origination tls) {
        HealthPolicy policy = HealthPolicy.of(group);
        ProxyProtocol proxyProtocol = ProxyProtocol.of(group.getAnnotationsMap().get(AnnotationKey.PROXY_PROTOCOL_SEND.key()));
        List<Backend> backends = new ArrayList<>();
        List<HealthChecker.Target> targets = new ArrayList<>();
        for (Server server : group.getServersList()) {
            ServerKey key = new ServerKey(group.getName(), server.getName(), server.getAddress());
            InetSocketAddress address = resolve(server.getAddress());
            // a drained server takes no new connections, like weight 0; open ones are not touched
            int weight = server.getDrain() ? 0 : server.getWeight();
            Backend backend = new Backend(key, address, weight, server.getPriority(), policy,
                    health.prepare(key), stats.server(key), proxyProtocol, tls,
                    group.getHostHeader().isEmpty() ? null : group.getHostHeader(), group.getSlowStartMs());
            backends.add(backend);
            targets.add(new HealthChecker.Target(backend.health(), address,
                    address == null ? "cannot resolve " + HostPort.parse(server.getAddress(), true).host() : null));
        }
        HealthChecker checker = new HealthChecker(policy, healthCheck(group, tls), checkLoops.loops(), health, targets);
        return new BackendGroup(group.getName(), Selector.of(group.getMethod(), backends, random, group.getSlowStartMs() > 0),
                checker, tls);
    }

    private HealthCheck healthCheck(ServerGroup group, Origination tls) {
        if (group.getProtocol() != HealthCheckProtocol.HEALTH_CHECK_PROTOCOL_HTTP) {
            return new TcpCheck(transport.socketChannelClass());
        }
        Map<String, String> annotations = group.getAnnotationsMap();
        return new HttpCheck(transport.socketChannelClass(),
                annotations.getOrDefault(AnnotationKey.HC_HTTP_METHOD.key(), AnnotationKey.HC_HTTP_METHOD.defaultValue()),
                annotations.getOrDefault(AnnotationKey.HC_HTTP_URI.key(), AnnotationKey.HC_HTTP_URI.defaultValue()),
                annotations.getOrDefault(AnnotationKey.HC_HTTP_HOST.key(),
                        group.getHostHeader().isEmpty() ? null : group.getHostHeader()),
                StatusRanges.parse(annotations.getOrDefault(AnnotationKey.HC_HTTP_STATUS.key(),
                        AnnotationKey.HC_HTTP_STATUS.defaultValue())), tls);
    }

    /** The server's address, resolved now; null if its host name does not resolve. */
    static InetSocketAddress resolve(String text) {
        HostPort hostPort = HostPort.parse(text, true);
        if (hostPort.ip()) {
            return new InetSocketAddress(literal(hostPort.host()), hostPort.port());
        }
        InetSocketAddress address = new InetSocketAddress(hostPort.host(), hostPort.port());
        return address.isUnresolved() ? null : address;
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByAddress(IpLiterals.parse(ip));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + ip, e);
        }
    }
}
