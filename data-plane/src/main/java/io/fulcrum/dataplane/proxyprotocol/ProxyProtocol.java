package io.fulcrum.dataplane.proxyprotocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Whether a server group's connections start with a PROXY header, and which version
 * ({@code fulcrum/proxy-protocol-send}: {@code off}, {@code v1}, {@code v2}).
 */
public enum ProxyProtocol {
    OFF, V1, V2;

    private static final String ENCODER = "proxy-protocol-encoder";

    /** The annotation's value, as the config model checked it; null for {@link #OFF}. */
    public static ProxyProtocol of(String value) {
        return value == null ? OFF : valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * Writes (does not flush) the header for a connection from {@code client} as the first bytes
     * of {@code server}, which nothing was written to yet; nothing when {@link #OFF}. On the
     * channel's event loop. Addresses of two families cannot be told: v1 says {@code UNKNOWN}, v2
     * {@code LOCAL}.
     */
    public void write(Channel server, ClientEndpoints client) {
        if (this == OFF) {
            return;
        }
        ChannelPipeline pipeline = server.pipeline();
        pipeline.addFirst(ENCODER, HAProxyMessageEncoder.INSTANCE);
        server.write(message(client), server.voidPromise());
        pipeline.remove(ENCODER);
    }

    private HAProxyMessage message(ClientEndpoints client) {
        HAProxyProtocolVersion version = this == V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2;
        // Java gives IPv4 clients of a dual-stack socket as IPv4 addresses, not ::ffff:a.b.c.d
        InetAddress source = client.source().getAddress();
        InetAddress destination = client.destination().getAddress();
        if ((source instanceof Inet4Address) != (destination instanceof Inet4Address)) {
            return new HAProxyMessage(version, version == HAProxyProtocolVersion.V1 ? HAProxyCommand.PROXY
                    : HAProxyCommand.LOCAL, HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0);
        }
        HAProxyProxiedProtocol family = source instanceof Inet4Address ? HAProxyProxiedProtocol.TCP4
                : HAProxyProxiedProtocol.TCP6;
        return new HAProxyMessage(version, HAProxyCommand.PROXY, family, source.getHostAddress(),
                destination.getHostAddress(), client.source().getPort(), client.destination().getPort());
    }
}
