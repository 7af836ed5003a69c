package io.fulcrum.controlplane.api;

import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.controlplane.state.StateListener;
import io.fulcrum.proto.v1.ConfigChanged;
import io.fulcrum.proto.v1.HealthTransition;
import io.fulcrum.proto.v1.WatchEvent;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * One Watch call: first the held changes after the requested version, then live changes, each
 * once and in version order, sent only while the client can take them (gRPC flow control). A
 * client that falls {@link #MAX_QUEUED} events behind is disconnected with RESOURCE_EXHAUSTED.
 */
final class WatchStream implements StateListener {
    static final int MAX_QUEUED = 10_000;

    private final ServerCallStreamObserver<WatchEvent> call;
    private final Queue<WatchEvent> queue = new ArrayDeque<>();
    private long lastVersion;
    private boolean primed;
    private boolean closed;

    private final boolean includeHealth;

    WatchStream(ServerCallStreamObserver<WatchEvent> call, boolean includeHealth) {
        this.call = call;
        this.includeHealth = includeHealth;
        call.setOnReadyHandler(this::drain);
    }

    /** Queues the history the watcher asked for; live events seen before this are queued after it. */
    void prime(List<ConfigChanged> history, long currentVersion) {
        synchronized (this) {
            List<WatchEvent> live = List.copyOf(queue);
            queue.clear();
            history.forEach(this::enqueue);
            lastVersion = Math.max(lastVersion, currentVersion);
            for (WatchEvent event : live) {
                if (!event.hasConfigChanged()) {
                    queue.add(event);
                } else if (event.getConfigChanged().getVersion() > lastVersion) {
                    queue.add(event);
                    lastVersion = event.getConfigChanged().getVersion();
                }
            }
            primed = true;
        }
        drain();
    }

    @Override
    public void onConfigChanged(ConfigModel model, ConfigChanged event) {
        if (event == null) {
            return;
        }
        synchronized (this) {
            if (closed || (primed && event.getVersion() <= lastVersion)) {
                return;
            }
            if (primed) {
                enqueue(event);
            } else {
                queue.add(WatchEvent.newBuilder().setConfigChanged(event).build());
            }
            if (queue.size() > MAX_QUEUED) {
                closed = true;
                queue.clear();
                call.onError(Status.RESOURCE_EXHAUSTED.withDescription("watcher too slow: more than " + MAX_QUEUED
                        + " events behind; watch again from the last version received").asRuntimeException());
                return;
            }
        }
        drain();
    }

    @Override
    public void onHealthTransitions(List<HealthTransition> transitions) {
        if (!includeHealth) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            transitions.forEach(t -> queue.add(WatchEvent.newBuilder().setHealthTransition(t).build()));
        }
        drain();
    }

    private void enqueue(ConfigChanged event) {
        queue.add(WatchEvent.newBuilder().setConfigChanged(event).build());
        lastVersion = event.getVersion();
    }

    private void drain() {
        synchronized (this) {
            while (primed && !closed && call.isReady() && !queue.isEmpty()) {
                call.onNext(queue.poll());
            }
        }
    }

    synchronized void close() {
        closed = true;
        queue.clear();
    }
}
