package io.fulcrum.dataplane.runtime.splice;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fulcrum.config.testing.Preconditions;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.InternetProtocolFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SplicingChannelsTest {
    @Test
    void theStartCheckPassesWithThePinnedNetty() throws Exception {
        Preconditions.require(Epoll.isAvailable(), "native epoll is not available here");
        SplicingChannels.probe();
        SplicingChannels.verify();
        SplicingChannels.verify();
    }

    @Test
    void onlySplicingSocketsSplice() {
        Preconditions.require(Epoll.isAvailable(), "native epoll is not available here");
        var socket = SplicingChannels.newSocketChannel(InternetProtocolFamily.IPv4);
        try {
            assertFalse(SplicingChannels.spliceInto(new io.netty.channel.embedded.EmbeddedChannel(), socket));
        } finally {
            socket.unsafe().close(socket.voidPromise());
        }
    }
}
