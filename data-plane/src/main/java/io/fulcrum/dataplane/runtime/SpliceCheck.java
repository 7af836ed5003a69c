package io.fulcrum.dataplane.runtime;

import io.fulcrum.dataplane.runtime.splice.SplicingChannels;

/**
 * Whether Fulcrum's splicing epoll channels (its classes in Netty's package) work with the Netty
 * on the class path. {@link Transport#of(TransportKind, SpliceCheck)} runs it once when it picks
 * epoll and falls back to Netty's own epoll channels, without splice, when it throws.
 */
@FunctionalInterface
public interface SpliceCheck {
    /**
     * The real check ({@code SplicingChannels.verify}: run once per JVM, its result kept). A lambda,
     * not a method reference: the class is resolved only when the check runs, inside its catch.
     */
    SpliceCheck DEFAULT = () -> SplicingChannels.verify();

    /**
     * Returns if the channels can be made and used; throws what went wrong otherwise (typically a
     * {@link LinkageError} after a Netty upgrade changed a member they rely on).
     */
    void verify() throws Exception;
}
