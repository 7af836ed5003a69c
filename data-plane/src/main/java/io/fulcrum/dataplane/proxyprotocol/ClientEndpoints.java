package io.fulcrum.dataplane.proxyprotocol;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;

/**
 * Who a client connection is from and to: the socket's own addresses, or the ones a trusted load
 * balancer in front announced in a PROXY header (kept on the channel, see {@link #announce}).
 */
public record ClientEndpoints(InetSocketAddress source, InetSocketAddress destination) {
    private static final AttributeKey<ClientEndpoints> ANNOUNCED = AttributeKey.valueOf("fulcrum.proxy-protocol");

    /** The announced endpoints of {@code client} if a PROXY header gave them, else its socket's. */
    public static ClientEndpoints of(Channel client) {
        ClientEndpoints announced = client.attr(ANNOUNCED).get();
        return announced != null ? announced
                : new ClientEndpoints((InetSocketAddress) client.remoteAddress(), (InetSocketAddress) client.localAddress());
    }

    /** From now on {@link #of} answers {@code endpoints} for {@code client}. */
    static void announce(Channel client, ClientEndpoints endpoints) {
        client.attr(ANNOUNCED).set(endpoints);
    }
}
