package io.fulcrum.dataplane.sync;

import io.fulcrum.config.rpc.GrpcSetup;
import io.grpc.ManagedChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per control-plane address, made on first use with {@link GrpcSetup} (message
 * size limit, TLS as the settings say) and kept for the client's life: a reconnect to an address
 * reuses its channel. Keep-alive every 10 s (5 s timeout) ends a dead connection. Used by one
 * thread.
 */
final class ControlPlaneChannels implements AutoCloseable {
    /** How long {@link #close()} waits for the streams to end. */
    static final long CLOSE_GRACE_MS = 2000;
    private final SyncSettings settings;
    private final Map<String, ManagedChannel> channels = new HashMap<>();

    ControlPlaneChannels(SyncSettings settings) {
        this.settings = settings;
    }

    ManagedChannel channel(String server) {
        return channels.computeIfAbsent(server, s -> GrpcSetup.channel(s, GrpcSetup.clientCredentials(settings.tls(), settings.tlsCa()))
                .keepAliveTime(10, TimeUnit.SECONDS).keepAliveTimeout(5, TimeUnit.SECONDS).build());
    }

    /**
     * Lets what was sent leave (a Goodbye and the end of the stream, which the control plane
     * answers by ending its side), for at most {@link #CLOSE_GRACE_MS}, then cuts what is left.
     */
    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdown);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MS);
        for (ManagedChannel channel : channels.values()) {
            try {
                channel.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            channel.shutdownNow();
        }
    }
}
