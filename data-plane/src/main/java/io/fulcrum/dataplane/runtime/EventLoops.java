package io.fulcrum.dataplane.runtime;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every event loop of one data plane, keyed by (group, loop) name: each is one thread running one
 * single-threaded Netty loop. A config change reuses the loops whose names stay. A loop that
 * leaves the config is retired, not killed: it keeps serving the connections already on it and
 * shuts down once none is left (checked every second), so removing an event loop never cuts a
 * connection. A retiring loop that comes back into the config before it is empty is reused.
 *
 * <p>Thread-safe.
 */
public final class EventLoops implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLoops.class);
    private static final long RETIRE_CHECK_MS = 1000;

    private final Transport transport;
    private final String nodeId;
    private final Map<LoopKey, Handle> loops = new LinkedHashMap<>();
    private boolean closed;

    private static final class Handle {
        final EventLoopGroup group;
        final EventLoop loop;
        boolean retiring;
        ScheduledFuture<?> retireCheck;

        Handle(EventLoopGroup group) {
            this.group = group;
            this.loop = group.next();
        }
    }

    public EventLoops(Transport transport, String nodeId) {
        this.transport = transport;
        this.nodeId = nodeId;
    }

    /** The loops named {@code loopNames} of group {@code group}, created or revived as needed. */
    public synchronized LoopGroup group(String group, List<String> loopNames) {
        if (closed) {
            throw new IllegalStateException("the data plane is closed");
        }
        List<LoopKey> keys = new ArrayList<>();
        List<EventLoop> chosen = new ArrayList<>();
        for (String name : loopNames) {
            LoopKey key = new LoopKey(group, name);
            keys.add(key);
            chosen.add(handle(key).loop);
        }
        return new LoopGroup(group, keys, chosen);
    }

    private Handle handle(LoopKey key) {
        Handle handle = loops.get(key);
        if (handle != null && handle.retiring) {
            handle.retiring = false;
            handle.retireCheck.cancel(false);
        }
        if (handle == null || handle.group.isShuttingDown()) {
            String threadName = "fulcrum-" + nodeId + "-" + key.group() + "-" + key.loop();
            handle = new Handle(transport.newLoop(runnable -> {
                Thread thread = new FastThreadLocalThread(runnable, threadName);
                thread.setDaemon(true);
                return thread;
            }));
            loops.put(key, handle);
        }
        return handle;
    }

    /** Retires every loop not in {@code inUse}: it shuts down once it has no channel left. */
    public synchronized void retainOnly(Set<LoopKey> inUse) {
        for (Map.Entry<LoopKey, Handle> entry : loops.entrySet()) {
            Handle handle = entry.getValue();
            if (!inUse.contains(entry.getKey()) && !handle.retiring) {
                handle.retiring = true;
                LoopKey key = entry.getKey();
                handle.retireCheck = handle.loop.scheduleAtFixedRate(() -> retireIfIdle(key, handle),
                        RETIRE_CHECK_MS, RETIRE_CHECK_MS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private synchronized void retireIfIdle(LoopKey key, Handle handle) {
        if (!handle.retiring || loops.get(key) != handle || registeredChannels(handle.loop) > 0) {
            return;
        }
        loops.remove(key);
        handle.retireCheck.cancel(false);
        handle.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        log.info("event loop {} retired", key);
    }

    private static int registeredChannels(EventLoop loop) {
        return loop instanceof SingleThreadEventLoop single ? single.registeredChannels() : 0;
    }

    /** The number of live loops (retiring ones included). */
    public synchronized int size() {
        return loops.size();
    }

    /** Shuts every loop down (closing what is still open on them) and waits for them to stop. */
    @Override
    public void close() {
        List<Future<?>> terminations = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Handle handle : loops.values()) {
                terminations.add(handle.group.shutdownGracefully(0, 2, TimeUnit.SECONDS));
            }
            loops.clear();
        }
        for (Future<?> termination : terminations) {
            termination.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
