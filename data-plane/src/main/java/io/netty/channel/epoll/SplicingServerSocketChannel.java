package io.netty.channel.epoll;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.NativeInetAddress;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * An epoll listening socket whose accepted connections are {@link SplicingSocketChannel}s, so
 * that both directions of a relayed connection can splice. Options: those of Netty's
 * {@link EpollServerChannelConfig} plus {@link EpollChannelOption#SO_REUSEPORT} and
 * {@link EpollChannelOption#IP_FREEBIND}; no TCP_MD5SIG or IP_TRANSPARENT.
 *
 * <p>The socket is of the address family it is made for, not dual-stack: an IPv4 listener
 * accepts IPv4 sockets, whose addresses need no mapping. It has TCP_NODELAY set, which the
 * sockets it accepts inherit (Linux copies it to them), so they need no {@code setsockopt} each.
 */
public final class SplicingServerSocketChannel extends AbstractEpollServerChannel implements ServerSocketChannel {
    private final Config config = new Config(this);

    public SplicingServerSocketChannel(InternetProtocolFamily family) {
        super(LinuxSocket.newSocketStream(family), false);
        if (PlatformDependent.canEnableTcpNoDelayByDefault()) {
            try {
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                throw new ChannelException(e);
            }
        }
    }

    /**
     * A listening socket that is bound and listening already: one inherited from another process
     * (a takeover). Register it with a loop; do not bind it. Its options are what the process that
     * made it set (TCP_NODELAY included).
     */
    public SplicingServerSocketChannel(int fd) {
        super(new LinuxSocket(fd));
    }

    @Override
    public EpollServerChannelConfig config() {
        return config;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        super.doBind(localAddress);
        socket.listen(config.getBacklog());
        active = true;
    }

    @Override
    protected Channel newChildChannel(int fd, byte[] address, int offset, int len) {
        return new SplicingSocketChannel(this, new LinuxSocket(fd), NativeInetAddress.address(address, offset, len));
    }

    private static final class Config extends EpollServerChannelConfig {
        private final SplicingServerSocketChannel channel;

        Config(SplicingServerSocketChannel channel) {
            super(channel);
            this.channel = channel;
        }

        @Override
        public <T> boolean setOption(ChannelOption<T> option, T value) {
            try {
                if (option == EpollChannelOption.SO_REUSEPORT) {
                    channel.socket.setReusePort((Boolean) value);
                } else if (option == EpollChannelOption.IP_FREEBIND) {
                    channel.socket.setIpFreeBind((Boolean) value);
                } else {
                    return super.setOption(option, value);
                }
            } catch (IOException e) {
                throw new ChannelException(e);
            }
            return true;
        }

        @SuppressWarnings("unchecked")
        @Override
        public <T> T getOption(ChannelOption<T> option) {
            try {
                if (option == EpollChannelOption.SO_REUSEPORT) {
                    return (T) Boolean.valueOf(channel.socket.isReusePort());
                } else if (option == EpollChannelOption.IP_FREEBIND) {
                    return (T) Boolean.valueOf(channel.socket.isIpFreeBind());
                }
            } catch (IOException e) {
                throw new ChannelException(e);
            }
            return super.getOption(option);
        }
    }
}
