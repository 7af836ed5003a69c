package io.fulcrum.ctl.command;

import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.proto.v1.ExecResponse;
import io.fulcrum.proto.v1.NodesRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code fctl drain server NAME in server-group G [--timeout 5m]}: commit the server's drain flag,
 * then follow every connected data plane until each reports 0 open connections to it.
 */
@Command(name = "drain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Drain a server: from the committed version on, no data plane sends it new connections; open "
                + "ones finish. Then shows each connected data plane's open connections to the server until all "
                + "report 0 (exit 0: it can be removed) or --timeout passes (default 5m; exit 1, the server stays drained).",
            "fctl undrain reverts it. The same as update server NAME in server-group G drain true, plus the wait."})
final class DrainCommand extends ClusterCommand {
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    private static final long POLL_MS = 500;

    @Parameters(arity = "5", paramLabel = "WORDS", description = "server NAME in server-group GROUP")
    List<String> words;

    @Option(names = "--no-wait", description = "commit the drain and return")
    boolean noWait;

    DrainCommand(FctlContext context) {
        super(context);
    }

    @Override
    protected int run(Connection cluster) throws InterruptedException {
        ServerRef ref;
        try {
            ref = ServerRef.parse(words);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ExecResponse reply = Lines.exec(cluster, ref.update(true), out(), err());
        if (noWait) {
            return 0;
        }
        Duration wait = given.timeoutGiven() == null ? DEFAULT_WAIT : Duration.ofSeconds(given.timeoutGiven());
        return follow(cluster, ref, reply.getVersion(), wait);
    }

    private int follow(Connection cluster, ServerRef ref, long version, Duration wait) throws InterruptedException {
        out().println("draining " + ref + " from version " + version + " (waiting at most " + wait.toSeconds() + " s)");
        long started = System.nanoTime();
        long deadline = started + wait.toNanos();
        Map<String, String> shown = new HashMap<>();
        while (true) {
            DrainProgress progress = DrainProgress.of(cluster.call(stubs -> stubs.cluster().nodes(NodesRequest.getDefaultInstance())),
                    ref, version);
            for (DrainProgress.Node node : progress.nodes()) {
                String line = node.describe(version);
                if (!line.equals(shown.put(node.id(), line))) {
                    out().println(line);
                }
            }
            out().flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            if (progress.done()) {
                out().printf("drained: 0 open connections to %s on %d data plane%s after %.1f s; it can be removed%n",
                        ref, progress.nodes().size(), progress.nodes().size() == 1 ? "" : "s", seconds);
                out().flush();
                return 0;
            }
            if (System.nanoTime() > deadline) {
                err().printf("fctl: drain timed out after %.1f s: %d connection(s) to %s still open (it stays drained; "
                        + "fctl undrain reverts it)%n", seconds, progress.open(), ref);
                err().flush();
                return 1;
            }
            Thread.sleep(POLL_MS);
        }
    }
}
