package io.fulcrum.ctl.command;

import io.fulcrum.ctl.cli.ExitCodes;
import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.proto.v1.Change;
import io.fulcrum.proto.v1.ConfigChanged;
import io.fulcrum.proto.v1.HealthTransition;
import io.fulcrum.proto.v1.WatchEvent;
import io.fulcrum.proto.v1.WatchRequest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;

/** {@code fctl watch}: committed changes and health transitions, live, until interrupted. */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Print committed changes (and health transitions) as they happen.")
final class WatchCommand extends ClusterCommand {
    @Option(names = "--from", defaultValue = "0", description = "first print the held changes after this version")
    long from;

    @Option(names = "--no-health", description = "config changes only")
    boolean noHealth;

    @Option(names = "--count", defaultValue = "0", description = "stop after printing this many lines: a change or a "
            + "health transition each (default: never)")
    int count;

    WatchCommand(FctlContext context) {
        super(context);
    }

    @Override
    protected int run(Connection cluster) {
        if (given.timeoutGiven() != null) {
            throw new ParameterException(spec.commandLine(), "watch runs until it is stopped or --count lines are printed: "
                    + "--timeout does not apply to it");
        }
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<ClientCallStreamObserver<WatchRequest>> call = new AtomicReference<>();
        AtomicInteger left = new AtomicInteger(count > 0 ? count : Integer.MAX_VALUE);
        WatchRequest request = WatchRequest.newBuilder().setFromVersion(from).setIncludeHealth(!noHealth).build();
        String server = cluster.servers().get(0);
        cluster.stubs(server).configAsync().watch(request, new ClientResponseObserver<WatchRequest, WatchEvent>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WatchRequest> requests) {
                call.set(requests);
            }

            @Override
            public void onNext(WatchEvent event) {
                for (String line : lines(event)) {
                    if (left.getAndDecrement() <= 0) {
                        break;
                    }
                    out().println(line);
                }
                out().flush();
                if (left.get() <= 0) {
                    done.countDown();
                }
            }

            @Override
            public void onError(Throwable t) {
                boolean down = t instanceof StatusRuntimeException e && e.getStatus().getCode() == Status.Code.UNAVAILABLE;
                failure.set(down ? Connection.unavailable(server, (StatusRuntimeException) t) : t);
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        try {
            done.await();
        } catch (InterruptedException e) {
            // Ctrl-C in the shell: stop watching, back to the prompt
            failure.set(null);
        } finally {
            call.get().cancel("fctl watch stopped", null);
        }
        if (failure.get() != null && left.get() > 0) {
            err().println("fctl: " + ExitCodes.message(failure.get()));
            return ExitCodes.of(failure.get());
        }
        return 0;
    }

    /** The lines an event prints: one per change of a committed batch, one per health transition. */
    private static List<String> lines(WatchEvent event) {
        List<String> lines = new ArrayList<>();
        if (event.hasConfigChanged()) {
            ConfigChanged change = event.getConfigChanged();
            for (Change c : change.getChangesList()) {
                lines.add("version " + change.getVersion() + "  " + change.getPrincipal() + "  " + c.getCommand());
            }
        } else if (event.hasHealthTransition()) {
            HealthTransition t = event.getHealthTransition();
            lines.add("health  " + t.getNodeId() + "  " + t.getHealth().getServerGroup() + "/" + t.getHealth().getServer()
                    + "  " + state(t.getPrevious().name()) + " -> " + state(t.getHealth().getState().name())
                    + (t.getHealth().getReason().isEmpty() ? "" : "  (" + t.getHealth().getReason() + ")"));
        }
        return lines;
    }

    private static String state(String name) {
        return name.substring("HEALTH_STATE_".length());
    }
}
