package io.fulcrum.controlplane.discovery;

import io.fulcrum.config.schema.DiscoverySettings;
import io.fulcrum.config.schema.DiscoverySource;
import io.fulcrum.config.schema.HostPort;
import io.fulcrum.config.schema.Schema;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.dns.DefaultDnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@link Lookup} with netty's DNS client, no caching (Consul answers with TTL 0; every interval
 * asks again). Resolvers are tried in order: the next one when one times out or fails. An SRV
 * record's target is taken from the additional section when it is there, else asked for (A and
 * AAAA) from the same resolver. Thread-safe; one event loop thread.
 */
final class DnsLookup implements Lookup {
    private final EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("fulcrum-dns", true));
    private final Map<Integer, DnsNameResolver> byTimeout = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<List<DiscoveredServer>> lookup(DiscoverySettings settings) {
        List<InetSocketAddress> servers = settings.resolvers().isEmpty()
                ? DefaultDnsServerAddressStreamProvider.defaultAddressList()
                : settings.resolvers().stream().map(DnsLookup::socketAddress).toList();
        DnsNameResolver resolver = byTimeout.computeIfAbsent(settings.timeoutMs(), this::newResolver);
        return tryInOrder(servers, 0, server -> settings.source().type() == DiscoverySource.Type.SRV
                ? srv(resolver, server, settings.source()) : host(resolver, server, settings.source()), List.of());
    }

    private static CompletableFuture<List<DiscoveredServer>> tryInOrder(List<InetSocketAddress> servers, int index,
            Function<InetSocketAddress, CompletableFuture<List<DiscoveredServer>>> ask, List<String> failures) {
        return ask.apply(servers.get(index)).handle((answer, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(answer);
            }
            List<String> all = new ArrayList<>(failures);
            all.add(message(failure));
            if (index + 1 == servers.size()) {
                return CompletableFuture.<List<DiscoveredServer>>failedFuture(new LookupFailedException(String.join("; ", all)));
            }
            return tryInOrder(servers, index + 1, ask, all);
        }).thenCompose(Function.identity());
    }

    private static String message(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /** The SRV records of the source, each one server: its target's lowest address, its port, weight and priority. */
    private CompletableFuture<List<DiscoveredServer>> srv(DnsNameResolver resolver, InetSocketAddress server,
            DiscoverySource source) {
        return query(resolver, server, source.name(), DnsRecordType.SRV).thenCompose(reply -> {
            if (reply.isEmptyAnswer() || reply.srv().isEmpty()) {
                return CompletableFuture.completedFuture(List.of());
            }
            List<CompletableFuture<List<InetAddress>>> targets = new ArrayList<>();
            for (DnsReply.Srv record : reply.srv()) {
                List<InetAddress> known = reply.addresses().get(record.target());
                targets.add(known != null ? CompletableFuture.completedFuture(known) : addresses(resolver, server, record.target()));
            }
            return CompletableFuture.allOf(targets.toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<Integer> weights = reply.srv().stream().map(DnsReply.Srv::weight).toList();
                List<Integer> scaled = SrvWeights.scale(weights);
                List<DiscoveredServer> servers = new ArrayList<>();
                for (int i = 0; i < reply.srv().size(); i++) {
                    DnsReply.Srv record = reply.srv().get(i);
                    InetAddress lowest = lowest(targets.get(i).join());
                    if (lowest != null) {
                        servers.add(new DiscoveredServer(ServerNames.ofTarget(record.target(), record.port()),
                                address(lowest, record.port()), scaled.get(i), record.priority()));
                    }
                }
                return distinct(servers);
            });
        });
    }

    /** Every A and AAAA address of the source's host name, each one server on the source's port. */
    private CompletableFuture<List<DiscoveredServer>> host(DnsNameResolver resolver, InetSocketAddress server,
            DiscoverySource source) {
        return addresses(resolver, server, source.name()).thenApply(addresses -> distinct(addresses.stream()
                .map(a -> canonical(a, source.port()))
                .map(a -> new DiscoveredServer(ServerNames.ofAddress(a.host(), a.port()), a.toString(),
                        Schema.DEFAULT_WEIGHT, 0)).toList()));
    }

    /** A and AAAA of {@code name}: empty when neither has records (or the name does not exist). */
    private CompletableFuture<List<InetAddress>> addresses(DnsNameResolver resolver, InetSocketAddress server, String name) {
        CompletableFuture<DnsReply> a = query(resolver, server, name, DnsRecordType.A);
        CompletableFuture<DnsReply> aaaa = query(resolver, server, name, DnsRecordType.AAAA);
        return a.thenCombine(aaaa, (v4, v6) -> {
            List<InetAddress> all = new ArrayList<>(v4.answered());
            all.addAll(v6.answered());
            return all;
        });
    }

    private static CompletableFuture<DnsReply> query(DnsNameResolver resolver, InetSocketAddress server, String name,
            DnsRecordType type) {
        CompletableFuture<DnsReply> reply = new CompletableFuture<>();
        String where = type.name() + " " + name + " at " + address(server.getAddress(), server.getPort());
        resolver.query(server, new DefaultDnsQuestion(name + ".", type)).addListener(future -> {
            if (!future.isSuccess()) {
                Throwable cause = future.cause();
                reply.completeExceptionally(new LookupFailedException(where + ": " + (cause instanceof DnsNameResolverTimeoutException
                        ? "no answer within " + resolver.queryTimeoutMillis() + " ms" : String.valueOf(cause.getMessage()))));
                return;
            }
            @SuppressWarnings("unchecked")
            AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = (AddressedEnvelope<DnsResponse, InetSocketAddress>) future.getNow();
            try {
                DnsReply parsed = DnsReply.of(envelope.content());
                if (!parsed.code().equals(DnsResponseCode.NOERROR) && !parsed.isEmptyAnswer()) {
                    reply.completeExceptionally(new LookupFailedException(where + ": answered " + parsed.code()));
                } else {
                    reply.complete(parsed);
                }
            } catch (RuntimeException e) {
                reply.completeExceptionally(new LookupFailedException(where + ": malformed answer (" + e + ")"));
            } finally {
                envelope.release();
            }
        });
        return reply;
    }

    /** The lowest address (IPv4 first, then by bytes): every resolution picks the same one. */
    private static InetAddress lowest(List<InetAddress> addresses) {
        return addresses.stream().min(Comparator.<InetAddress>comparingInt(a -> a.getAddress().length)
                .thenComparing(a -> a.getAddress(), java.util.Arrays::compareUnsigned)).orElse(null);
    }

    /** IP:PORT in the model's canonical form ([IPv6]:PORT, shortest IPv6 text). */
    private static String address(InetAddress ip, int port) {
        return canonical(ip, port).toString();
    }

    private static HostPort canonical(InetAddress ip, int port) {
        String host = ip.getHostAddress();
        return HostPort.parse((host.contains(":") ? "[" + host + "]" : host) + ":" + port, false);
    }

    /** Sorted by name; a name or an address seen before is left out (the model refuses duplicates). */
    private static List<DiscoveredServer> distinct(List<DiscoveredServer> servers) {
        Map<String, DiscoveredServer> byName = new LinkedHashMap<>();
        java.util.Set<String> addresses = new java.util.HashSet<>();
        servers.stream().sorted(Comparator.comparing(DiscoveredServer::name)).forEach(s -> {
            if (!byName.containsKey(s.name()) && addresses.add(s.address())) {
                byName.put(s.name(), s);
            }
        });
        return List.copyOf(byName.values());
    }

    private static InetSocketAddress socketAddress(HostPort hostPort) {
        return new InetSocketAddress(hostPort.host(), hostPort.port());
    }

    private DnsNameResolver newResolver(int timeoutMs) {
        return new DnsNameResolverBuilder(loop.next()).datagramChannelType(NioDatagramChannel.class)
                // a truncated UDP answer (many SRV records) is asked again over TCP
                .socketChannelType(NioSocketChannel.class)
                .queryTimeoutMillis(timeoutMs).recursionDesired(true)
                .resolveCache(NoopDnsCache.INSTANCE).cnameCache(NoopDnsCnameCache.INSTANCE)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
                // queries name their server; this provider is never asked
                .nameServerProvider(new SingletonDnsServerAddressStreamProvider(new InetSocketAddress("127.0.0.1", 53)))
                .build();
    }

    @Override
    public void close() {
        byTimeout.values().forEach(DnsNameResolver::close);
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
