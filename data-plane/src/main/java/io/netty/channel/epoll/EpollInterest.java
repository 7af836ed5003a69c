package io.netty.channel.epoll;

import io.netty.channel.Channel;

/**
 * Sets the epoll events a channel is registered with, before it is registered. Netty registers a
 * socket without read interest and adds it with a second {@code epoll_ctl} on the first read; a
 * socket being connected gets write interest with a third and read interest with a fourth once
 * connected. Registering with the interest known up front saves those calls: per proxied
 * connection, three of about 36 system calls. Netty offers no API for this, so this class lives in
 * Netty's package and writes the protected {@code flags} field; it is tied to the pinned Netty
 * version and checked by {@code EpollInterestTest}.
 */
public final class EpollInterest {
    private EpollInterest() {
    }

    /** {@code channel} will be registered with read interest (it reads from the start). */
    public static void readFromRegistration(Channel channel) {
        add(channel, Native.EPOLLIN);
    }

    /** {@code channel} is about to connect: registered with read and write interest. */
    public static void connectFromRegistration(Channel channel) {
        add(channel, Native.EPOLLIN | Native.EPOLLOUT);
    }

    private static void add(Channel channel, int events) {
        if (channel instanceof AbstractEpollChannel epoll && !epoll.isRegistered()) {
            epoll.flags |= events;
        }
    }
}
