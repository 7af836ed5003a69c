package io.fulcrum.dataplane.lifecycle.takeover;

import io.fulcrum.dataplane.runtime.Listener;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.TakeoverClientMessage;
import io.fulcrum.proto.v1.TakeoverDone;
import io.fulcrum.proto.v1.TakeoverListener;
import io.fulcrum.proto.v1.TakeoverOffer;
import io.fulcrum.proto.v1.TakeoverRequest;
import io.fulcrum.proto.v1.TakeoverServerMessage;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running process's end of a takeover: a Unix domain socket (owner-only) on which a new
 * process of the same node asks for the listening sockets and the applied config, receives them,
 * and says when it serves them. Then this process stops accepting, closes this socket and calls
 * {@code handedOver} (which drains and exits). Until the new process says it is ready, nothing
 * changes here: a new process that fails or dies leaves this one serving, with one log line.
 * One takeover at a time. Protocol: fulcrum/v1/takeover.proto.
 */
public final class TakeoverServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TakeoverServer.class);

    private final Path path;
    private final HandoverSource source;
    private final LongConsumer onHandedOver;
    private final java.util.concurrent.atomic.AtomicBoolean handedOver = new java.util.concurrent.atomic.AtomicBoolean();
    private final EpollEventLoopGroup loop;
    private final AtomicReference<Pending> pending = new AtomicReference<>();
    private final Channel server;

    /** An offer made and not yet answered. */
    private record Pending(String offerId, long pid, List<Integer> descriptors, Channel control) {
    }

    private TakeoverServer(Path path, HandoverSource source, LongConsumer handedOver) {
        this.path = path;
        this.source = source;
        this.onHandedOver = handedOver;
        this.loop = DomainSockets.loop("fulcrum-" + source.nodeId() + "-takeover");
        try {
            this.server = new ServerBootstrap().group(loop).channel(EpollServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
                        @Override
                        protected void initChannel(EpollDomainSocketChannel channel) {
                            DomainSockets.framing(channel.pipeline(), TakeoverClientMessage.getDefaultInstance());
                            channel.pipeline().addLast(new Conversation());
                        }
                    }).bind(new DomainSocketAddress(path.toFile())).sync().channel();
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new TakeoverException("interrupted while listening on " + path);
        } catch (IOException | RuntimeException e) {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new TakeoverException("cannot listen for a takeover on " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Listens on {@code path}, which must not exist.
     *
     * @param handedOver called once, on its own thread, with the new process's pid after this
     *                   process stopped accepting
     * @throws TakeoverException when the socket cannot be made
     */
    public static TakeoverServer listen(Path path, HandoverSource source, LongConsumer handedOver) {
        return new TakeoverServer(path, source, handedOver);
    }

    public Path path() {
        return path;
    }

    /** Stops listening (and removes the socket file). */
    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    private TakeoverOffer offer(TakeoverRequest request, Channel control) {
        if (!request.getNodeId().equals(source.nodeId())) {
            return refused("the new process is node " + request.getNodeId() + ", this one is " + source.nodeId());
        }
        if (handedOver.get() || !source.accepting()) {
            return refused("this process is stopping or handed over already");
        }
        Pending busy = pending.get();
        if (busy != null && busy.control().isActive()) {
            return refused("a takeover by pid " + busy.pid() + " is under way");
        }
        HandoverSource.Offer offered = source.offer();
        String offerId = UUID.randomUUID().toString();
        TakeoverOffer.Builder offer = TakeoverOffer.newBuilder().setOfferId(offerId).setPid(ProcessHandle.current().pid());
        offered.config().map(Config::toByteString).ifPresent(offer::setConfig);
        List<Integer> descriptors = new java.util.ArrayList<>();
        for (ListenerSockets listener : offered.listeners()) {
            offer.addListeners(TakeoverListener.newBuilder().setName(listener.name())
                    .setAddress(Listener.address(listener.address())).setSockets(listener.descriptors().size()));
            descriptors.addAll(listener.descriptors());
        }
        pending.set(new Pending(offerId, request.getPid(), descriptors, control));
        log.info("takeover requested by pid {} (version {}): offering {} listener(s), {} socket(s); configs wait",
                request.getPid(), request.getSoftwareVersion(), offered.listeners().size(), descriptors.size());
        return offer.build();
    }

    private static TakeoverOffer refused(String why) {
        log.warn("takeover refused: {}", why);
        return TakeoverOffer.newBuilder().setRefused(why).build();
    }

    /**
     * The new process serves the sockets: unless this process stops already, stop accepting
     * here, let it know, hand over. Once decided, the handover always finishes (the callback runs
     * even if closing a socket here failed).
     */
    private void ready(Pending offer, long appliedVersion) {
        Thread thread = new Thread(() -> {
            if (!source.beginHandover()) {
                source.withdraw();
                log.warn("takeover by pid {} refused at the last step: this process is stopping", offer.pid());
                offer.control().writeAndFlush(TakeoverServerMessage.newBuilder().setDone(TakeoverDone.newBuilder()
                        .setRefused("the running process is stopping")).build());
                return;
            }
            try {
                source.stopAccepting();
                server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            } finally {
                offer.control().writeAndFlush(TakeoverServerMessage.newBuilder().setDone(TakeoverDone.getDefaultInstance())
                        .build()).awaitUninterruptibly(5, TimeUnit.SECONDS);
                log.info("taken over by pid {} (serving config version {}): stopped accepting, draining", offer.pid(),
                        appliedVersion);
                onHandedOver.accept(offer.pid());
            }
        }, "fulcrum-" + source.nodeId() + "-handover");
        thread.start();
    }

    /** One connection from a new process: its control connection or its descriptor connection. */
    private final class Conversation extends SimpleChannelInboundHandler<TakeoverClientMessage> {
        private Pending mine;
        private boolean answered;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            int uid = DomainSockets.ownUid();
            int peer = ((EpollDomainSocketChannel) ctx.channel()).peerCredentials().uid();
            if (uid < 0 || peer != uid) {
                log.warn("takeover connection from uid {} refused (this process runs as uid {})", peer, uid);
                ctx.close();
                return;
            }
            super.channelActive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TakeoverClientMessage message) {
            switch (message.getMessageCase()) {
                case REQUEST -> {
                    TakeoverOffer offer = offer(message.getRequest(), ctx.channel());
                    Pending now = pending.get();
                    mine = offer.getRefused().isEmpty() ? now : null;
                    ctx.writeAndFlush(TakeoverServerMessage.newBuilder().setOffer(offer).build());
                }
                case FDS -> {
                    Pending offer = pending.get();
                    if (offer == null || !offer.offerId().equals(message.getFds().getOfferId())) {
                        ctx.close();
                        return;
                    }
                    for (int fd : offer.descriptors()) {
                        ctx.write(new FileDescriptor(fd));
                    }
                    ctx.flush();
                }
                case READY -> {
                    if (mine != null && pending.compareAndSet(mine, null)) {
                        answered = true;
                        handedOver.set(true); // no other offer from now on, whatever the decision
                        ready(mine, message.getReady().getAppliedVersion());
                    }
                }
                case FAILED -> {
                    if (mine != null && pending.compareAndSet(mine, null)) {
                        answered = true;
                        source.withdraw();
                        log.warn("takeover by pid {} failed: {}; still serving", mine.pid(), message.getFailed().getError());
                    }
                }
                case MESSAGE_NOT_SET -> ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (mine != null && !answered && pending.compareAndSet(mine, null)) {
                source.withdraw();
                log.warn("takeover by pid {} ended before it was ready; still serving", mine.pid());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("takeover connection: {}", cause.toString());
            ctx.close();
        }
    }
}
