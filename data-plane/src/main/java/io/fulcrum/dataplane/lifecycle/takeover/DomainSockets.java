package io.fulcrum.dataplane.lifecycle.takeover;

import com.google.protobuf.MessageLite;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32FrameDecoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What both ends of a takeover share: framing, the loop, who may connect. */
final class DomainSockets {
    private DomainSockets() {
    }

    /** Varint-length-delimited protobuf messages of {@code inbound}'s type in, any message out. */
    static void framing(ChannelPipeline pipeline, MessageLite inbound) {
        pipeline.addLast(new ProtobufVarint32FrameDecoder(), new ProtobufDecoder(inbound),
                new ProtobufVarint32LengthFieldPrepender(), new ProtobufEncoder());
    }

    /** Only outbound framing: the descriptor connection reads descriptors, not bytes. */
    static void outboundFraming(ChannelPipeline pipeline) {
        pipeline.addLast(new ProtobufVarint32LengthFieldPrepender(), new ProtobufEncoder());
    }

    static EpollEventLoopGroup loop(String name) {
        return new EpollEventLoopGroup(1, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** This process's user id (a takeover is only taken from and given to the same user). */
    static int ownUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
