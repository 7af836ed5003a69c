package io.fulcrum.dataplane.health;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;

/**
 * One active check of one server. The returned future always succeeds (a failed check is a
 * {@link CheckResult} with {@code ok == false}) and completes on {@code loop} within about
 * {@code timeoutMs}.
 */
public interface HealthCheck {
    Future<CheckResult> run(EventLoop loop, InetSocketAddress address, int timeoutMs);
}
