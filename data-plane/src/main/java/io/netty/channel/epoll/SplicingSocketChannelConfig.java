package io.netty.channel.epoll;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.util.Map;

/**
 * The standard socket options of a {@link SplicingSocketChannel}. Unlike Netty's own socket
 * config it does not query SO_SNDBUF when the channel is made (one system call per connection):
 * gathering writes are then bounded by the number of buffers, not by twice the send buffer.
 * Nor does it set TCP_NODELAY on an accepted socket: that inherits it from the listening socket
 * (see {@link SplicingServerSocketChannel}).
 */
public final class SplicingSocketChannelConfig extends EpollChannelConfig implements SocketChannelConfig {
    private final SplicingSocketChannel channel;
    private volatile boolean allowHalfClosure;

    /** @param accepted the socket was accepted: it has TCP_NODELAY from its listener where Netty would set it */
    SplicingSocketChannelConfig(SplicingSocketChannel channel, boolean accepted) {
        super(channel);
        this.channel = channel;
        if (!accepted && PlatformDependent.canEnableTcpNoDelayByDefault()) {
            setTcpNoDelay(true);
        }
    }

    private interface SocketCall<T> {
        T call(LinuxSocket socket) throws IOException;
    }

    private <T> T socket(SocketCall<T> call) {
        try {
            return call.call(channel.socket);
        } catch (IOException e) {
            throw new ChannelException(e);
        }
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), ChannelOption.SO_RCVBUF, ChannelOption.SO_SNDBUF,
                ChannelOption.TCP_NODELAY, ChannelOption.SO_KEEPALIVE, ChannelOption.SO_REUSEADDR,
                ChannelOption.SO_LINGER, ChannelOption.IP_TOS, ChannelOption.ALLOW_HALF_CLOSURE);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        Object value;
        if (option == ChannelOption.SO_RCVBUF) {
            value = getReceiveBufferSize();
        } else if (option == ChannelOption.SO_SNDBUF) {
            value = getSendBufferSize();
        } else if (option == ChannelOption.TCP_NODELAY) {
            value = isTcpNoDelay();
        } else if (option == ChannelOption.SO_KEEPALIVE) {
            value = isKeepAlive();
        } else if (option == ChannelOption.SO_REUSEADDR) {
            value = isReuseAddress();
        } else if (option == ChannelOption.SO_LINGER) {
            value = getSoLinger();
        } else if (option == ChannelOption.IP_TOS) {
            value = getTrafficClass();
        } else if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
            value = isAllowHalfClosure();
        } else {
            return super.getOption(option);
        }
        return (T) value;
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == ChannelOption.SO_RCVBUF) {
            setReceiveBufferSize((Integer) value);
        } else if (option == ChannelOption.SO_SNDBUF) {
            setSendBufferSize((Integer) value);
        } else if (option == ChannelOption.TCP_NODELAY) {
            setTcpNoDelay((Boolean) value);
        } else if (option == ChannelOption.SO_KEEPALIVE) {
            setKeepAlive((Boolean) value);
        } else if (option == ChannelOption.SO_REUSEADDR) {
            setReuseAddress((Boolean) value);
        } else if (option == ChannelOption.SO_LINGER) {
            setSoLinger((Integer) value);
        } else if (option == ChannelOption.IP_TOS) {
            setTrafficClass((Integer) value);
        } else if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
            setAllowHalfClosure((Boolean) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    @Override
    public boolean isTcpNoDelay() {
        return socket(LinuxSocket::isTcpNoDelay);
    }

    @Override
    public SplicingSocketChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
        socket(s -> { s.setTcpNoDelay(tcpNoDelay); return null; });
        return this;
    }

    @Override
    public int getSoLinger() {
        return socket(LinuxSocket::getSoLinger);
    }

    @Override
    public SplicingSocketChannelConfig setSoLinger(int soLinger) {
        socket(s -> { s.setSoLinger(soLinger); return null; });
        return this;
    }

    @Override
    public int getSendBufferSize() {
        return socket(LinuxSocket::getSendBufferSize);
    }

    @Override
    public SplicingSocketChannelConfig setSendBufferSize(int sendBufferSize) {
        socket(s -> { s.setSendBufferSize(sendBufferSize); return null; });
        return this;
    }

    @Override
    public int getReceiveBufferSize() {
        return socket(LinuxSocket::getReceiveBufferSize);
    }

    @Override
    public SplicingSocketChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        socket(s -> { s.setReceiveBufferSize(receiveBufferSize); return null; });
        return this;
    }

    @Override
    public boolean isKeepAlive() {
        return socket(LinuxSocket::isKeepAlive);
    }

    @Override
    public SplicingSocketChannelConfig setKeepAlive(boolean keepAlive) {
        socket(s -> { s.setKeepAlive(keepAlive); return null; });
        return this;
    }

    @Override
    public int getTrafficClass() {
        return socket(LinuxSocket::getTrafficClass);
    }

    @Override
    public SplicingSocketChannelConfig setTrafficClass(int trafficClass) {
        socket(s -> { s.setTrafficClass(trafficClass); return null; });
        return this;
    }

    @Override
    public boolean isReuseAddress() {
        return socket(LinuxSocket::isReuseAddress);
    }

    @Override
    public SplicingSocketChannelConfig setReuseAddress(boolean reuseAddress) {
        socket(s -> { s.setReuseAddress(reuseAddress); return null; });
        return this;
    }

    @Override
    public SplicingSocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        return this;
    }

    @Override
    public boolean isAllowHalfClosure() {
        return allowHalfClosure;
    }

    @Override
    public SplicingSocketChannelConfig setAllowHalfClosure(boolean allowHalfClosure) {
        this.allowHalfClosure = allowHalfClosure;
        return this;
    }

    @Override
    public SplicingSocketChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    @Deprecated
    public SplicingSocketChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public SplicingSocketChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public SplicingSocketChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public SplicingSocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public SplicingSocketChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public SplicingSocketChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    public SplicingSocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }

    @Override
    public SplicingSocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }
}
