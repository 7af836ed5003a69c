package io.fulcrum.ctl.command;

import io.fulcrum.ctl.ExitCodes;
import io.fulcrum.ctl.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.proto.v1.Change;
import io.fulcrum.proto.v1.ConfigChanged;
import io.fulcrum.proto.v1.HealthTransition;
import io.fulcrum.proto.v1.WatchEvent;
import io.fulcrum.proto.v1.WatchRequest;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fctl watch}: committed changes and health transitions, live, until interrupted. */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Print committed changes (and health transitions) as they happen.")
final class WatchCommand extends ClusterCommand {
    @Option(names = "--from", defaultValue = "0", description = "first print the held changes after this version")
    long from;

    @Option(names = "--no-health", description = "config changes only")
    boolean noHealth;

    @Option(names = "--count", defaultValue = "0", description = "stop after this many events (default: never)")
    int count;

    WatchCommand(FctlContext context) {
        super(context);
    }

    @Override
    protected int run(Connection cluster) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger seen = new AtomicInteger();
        WatchRequest request = WatchRequest.newBuilder().setFromVersion(from).setIncludeHealth(!noHealth).build();
        String server = cluster.servers().get(0);
        cluster.stubs(server).configAsync().watch(request, new StreamObserver<>() {
            @Override
            public void onNext(WatchEvent event) {
                synchronized (out()) {
                    print(event);
                }
                if (count > 0 && seen.incrementAndGet() >= count) {
                    done.countDown();
                }
            }

            @Override
            public void onError(Throwable t) {
                failure.set(t);
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        done.await();
        if (failure.get() != null && (count == 0 || seen.get() < count)) {
            err().println("fctl: " + ExitCodes.message(failure.get()));
            return ExitCodes.of(failure.get());
        }
        return 0;
    }

    private void print(WatchEvent event) {
        if (event.hasConfigChanged()) {
            ConfigChanged change = event.getConfigChanged();
            for (Change c : change.getChangesList()) {
                out().println("version " + change.getVersion() + "  " + change.getPrincipal() + "  " + c.getCommand());
            }
        } else if (event.hasHealthTransition()) {
            HealthTransition t = event.getHealthTransition();
            out().println("health  " + t.getNodeId() + "  " + t.getHealth().getServerGroup() + "/" + t.getHealth().getServer()
                    + "  " + state(t.getPrevious().name()) + " -> " + state(t.getHealth().getState().name())
                    + (t.getHealth().getReason().isEmpty() ? "" : "  (" + t.getHealth().getReason() + ")"));
        }
        out().flush();
    }

    private static String state(String name) {
        return name.substring("HEALTH_STATE_".length());
    }
}
