package io.fulcrum.dataplane.lifecycle.takeover;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fulcrum.config.schema.HostPort;
import io.fulcrum.dataplane.runtime.InheritedSockets;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.TakeoverClientMessage;
import io.fulcrum.proto.v1.TakeoverFailed;
import io.fulcrum.proto.v1.TakeoverFds;
import io.fulcrum.proto.v1.TakeoverListener;
import io.fulcrum.proto.v1.TakeoverOffer;
import io.fulcrum.proto.v1.TakeoverReady;
import io.fulcrum.proto.v1.TakeoverRequest;
import io.fulcrum.proto.v1.TakeoverServerMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The new process's end of a takeover: asks the running process of the same node for its
 * listening sockets and applied config ({@link #take}), then says whether it serves them
 * ({@link #ready} or {@link #failed}). Not thread-safe: one caller, at start.
 */
public final class TakeoverClient implements AutoCloseable {
    /** What was taken over: the running process's config (if it had one), its sockets, its pid. */
    public record Taken(Optional<Config> config, InheritedSockets sockets, List<ListenerSockets> listeners, long pid) {
    }

    /** How long the running process may take to stop accepting once told the new one is ready. */
    private static final Duration DONE_TIMEOUT = Duration.ofSeconds(30);

    private final Path path;
    private final Duration timeout;
    private final EpollEventLoopGroup loop;
    private final BlockingQueue<TakeoverServerMessage> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> controlClosed = new CompletableFuture<>();
    private Channel control;

    private TakeoverClient(Path path, Duration timeout) {
        this.path = path;
        this.timeout = timeout;
        this.loop = DomainSockets.loop("fulcrum-takeover-client");
    }

    /**
     * Connects to the running process listening on {@code path}.
     *
     * @throws TakeoverException when nothing listens there
     */
    public static TakeoverClient connect(Path path, Duration timeout) {
        TakeoverClient client = new TakeoverClient(path, timeout);
        try {
            client.control = client.open(new ChannelInitializer<EpollDomainSocketChannel>() {
                @Override
                protected void initChannel(EpollDomainSocketChannel channel) {
                    DomainSockets.framing(channel.pipeline(), TakeoverServerMessage.getDefaultInstance());
                    channel.pipeline().addLast(new SimpleChannelInboundHandler<TakeoverServerMessage>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, TakeoverServerMessage message) {
                            client.received.add(message);
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext ctx) {
                            client.controlClosed.complete(null);
                        }
                    });
                }
            }, false);
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private Channel open(ChannelInitializer<EpollDomainSocketChannel> init, boolean descriptors) {
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(EpollDomainSocketChannel.class).handler(init);
        if (descriptors) {
            // level-triggered: Netty reads one descriptor per read round, and with edge-triggered
            // epoll the ones that arrived together with it would wait for an event that never comes
            bootstrap.option(EpollChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS)
                    .option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
        }
        var connect = bootstrap.connect(new DomainSocketAddress(path.toFile()));
        if (!connect.awaitUninterruptibly(timeout.toMillis()) || !connect.isSuccess()) {
            Throwable cause = connect.cause();
            throw new TakeoverException("no running data plane to take over at " + path + ": "
                    + (cause == null ? "connect timed out" : cause.getMessage()), cause);
        }
        return connect.channel();
    }

    /**
     * Asks for the sockets and the config and receives them. Nothing changes in the running
     * process yet.
     *
     * @throws TakeoverException when it refuses (another node id, a takeover under way), does not
     *         answer in time, or the descriptors do not arrive
     */
    public Taken take(String nodeId) {
        control.writeAndFlush(TakeoverClientMessage.newBuilder().setRequest(TakeoverRequest.newBuilder().setNodeId(nodeId)
                .setPid(ProcessHandle.current().pid()).setSoftwareVersion(softwareVersion())).build());
        TakeoverOffer offer = next().getOffer();
        if (!offer.getRefused().isEmpty()) {
            throw new TakeoverException("the running data plane refused the takeover: " + offer.getRefused());
        }
        int expected = offer.getListenersList().stream().mapToInt(TakeoverListener::getSockets).sum();
        List<Integer> fds = expected == 0 ? List.of() : descriptors(offer.getOfferId(), expected);
        Map<InetSocketAddress, List<Integer>> byAddress = new LinkedHashMap<>();
        List<ListenerSockets> listeners = new ArrayList<>();
        int at = 0;
        for (TakeoverListener listener : offer.getListenersList()) {
            List<Integer> mine = fds.subList(at, at + listener.getSockets());
            at += listener.getSockets();
            InetSocketAddress address = parse(listener.getAddress());
            byAddress.computeIfAbsent(address, a -> new ArrayList<>()).addAll(mine);
            listeners.add(new ListenerSockets(listener.getName(), address, mine));
        }
        Optional<Config> config;
        try {
            config = offer.getConfig().isEmpty() ? Optional.empty() : Optional.of(Config.parseFrom(offer.getConfig()));
        } catch (InvalidProtocolBufferException e) {
            throw new TakeoverException("the running data plane sent a config that does not parse: " + e.getMessage(), e);
        }
        return new Taken(config, new InheritedSockets(byAddress), listeners, offer.getPid());
    }

    /** The descriptors, over a connection of their own in descriptor mode. */
    private List<Integer> descriptors(String offerId, int expected) {
        CompletableFuture<List<Integer>> all = new CompletableFuture<>();
        List<Integer> fds = new ArrayList<>();
        Channel channel = open(new ChannelInitializer<EpollDomainSocketChannel>() {
            @Override
            protected void initChannel(EpollDomainSocketChannel channel) {
                DomainSockets.outboundFraming(channel.pipeline());
                channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object message) {
                        if (message instanceof FileDescriptor fd) {
                            fds.add(fd.intValue());
                            if (fds.size() == expected) {
                                all.complete(List.copyOf(fds));
                            }
                        }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        all.completeExceptionally(new TakeoverException("the running data plane closed the descriptor "
                                + "connection after " + fds.size() + " of " + expected + " sockets"));
                    }
                });
            }
        }, true);
        try {
            channel.writeAndFlush(TakeoverClientMessage.newBuilder().setFds(TakeoverFds.newBuilder().setOfferId(offerId)).build());
            return all.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            InheritedSockets.close(List.copyOf(fds));
            throw new TakeoverException("received " + fds.size() + " of " + expected + " sockets in " + timeout.toMillis()
                    + " ms");
        } catch (ExecutionException e) {
            InheritedSockets.close(List.copyOf(fds));
            throw e.getCause() instanceof TakeoverException t ? t : new TakeoverException(e.getCause().toString(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InheritedSockets.close(List.copyOf(fds));
            throw new TakeoverException("interrupted while receiving the sockets");
        } finally {
            channel.close();
        }
    }

    /**
     * This process serves the sockets now: the running one stops accepting, closes its takeover
     * socket and drains. Returns true once it says so, false when it did not answer in time (it
     * may still hand over; from the moment this is sent the sockets may be this process's alone,
     * so the caller serves on either way).
     *
     * @throws TakeoverException when it refuses at this last step (it is stopping): the caller
     *         must not serve
     */
    public boolean ready(long appliedVersion) {
        control.writeAndFlush(TakeoverClientMessage.newBuilder().setReady(TakeoverReady.newBuilder()
                .setAppliedVersion(appliedVersion)).build());
        TakeoverServerMessage answer;
        try {
            answer = next(DONE_TIMEOUT);
        } catch (TakeoverException silent) {
            return false;
        }
        if (!answer.getDone().getRefused().isEmpty()) {
            throw new TakeoverException("the running data plane refused at the last step: " + answer.getDone().getRefused());
        }
        return answer.hasDone();
    }

    /** This process cannot serve: the running one keeps serving and logs {@code error}. */
    public void failed(String error) {
        control.writeAndFlush(TakeoverClientMessage.newBuilder().setFailed(TakeoverFailed.newBuilder().setError(error)).build())
                .awaitUninterruptibly(timeout.toMillis());
    }

    private TakeoverServerMessage next() {
        return next(timeout);
    }

    private TakeoverServerMessage next(Duration wait) {
        try {
            TakeoverServerMessage message = received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new TakeoverException(controlClosed.isDone() ? "the running data plane closed the takeover connection"
                        : "the running data plane did not answer in " + wait.toMillis() + " ms");
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TakeoverException("interrupted while waiting for the running data plane");
        }
    }

    @Override
    public void close() {
        if (control != null) {
            control.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    static InetSocketAddress parse(String address) {
        try {
            HostPort hostPort = HostPort.parse(address, true);
            return new InetSocketAddress(InetAddress.getByName(hostPort.host()), hostPort.port());
        } catch (UnknownHostException | RuntimeException e) {
            throw new TakeoverException("the running data plane sent a listener address that does not parse: " + address, e);
        }
    }

    private static String softwareVersion() {
        String version = TakeoverClient.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
