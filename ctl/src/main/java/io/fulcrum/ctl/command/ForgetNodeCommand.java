package io.fulcrum.ctl.command;

import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.ForgetNodeRequest;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code fctl forget-node NODE}: removes a DISCONNECTED data plane from {@code fctl nodes}. A
 * connected node is refused (exit 1), an unknown one is not found (exit 4).
 */
@Command(name = "forget-node", mixinStandardHelpOptions = true,
        description = "Forget a DISCONNECTED data plane (it is listed again if it connects again).")
final class ForgetNodeCommand extends ClusterCommand {
    @Parameters(paramLabel = "NODE", description = "the data plane's node id, as fctl nodes shows it")
    String node;

    ForgetNodeCommand(FctlContext context) {
        super(context);
    }

    @Override
    protected int run(Connection cluster) {
        DataPlaneNode forgotten = cluster.call(stubs -> stubs.cluster()
                .forgetNode(ForgetNodeRequest.newBuilder().setNodeId(node).build())).getForgotten();
        out().println("forgot " + forgotten.getNodeId() + " (last seen "
                + NodesCommand.ago(Clock.systemUTC().millis() - forgotten.getLastSeenUnixMs()) + ", connected to "
                + forgotten.getConnectedTo() + ")");
        out().flush();
        return 0;
    }
}
