package io.fulcrum.ctl.command;

import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.ctl.output.Format;
import io.fulcrum.ctl.output.Table;
import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.NodesRequest;
import io.fulcrum.proto.v1.NodesResponse;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fctl nodes}: each data plane's sync state, version, lag, last error, last seen. */
@Command(name = "nodes", mixinStandardHelpOptions = true, description = "Show each data plane: SYNCED, STALE, NACKED, DRAINING or DISCONNECTED.")
final class NodesCommand extends ClusterCommand {
    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml (default: table)")
    Format output;

    NodesCommand(FctlContext context) {
        super(context);
    }

    @Override
    protected int run(Connection cluster) {
        NodesResponse nodes = cluster.call(stubs -> stubs.cluster().nodes(NodesRequest.getDefaultInstance()));
        switch (output) {
            case JSON -> out().println(Format.json(nodes));
            case YAML -> out().print(Format.yaml(nodes));
            case TABLE -> {
                boolean vips = nodes.getNodesList().stream().anyMatch(n -> n.getVipsCount() > 0);
                Table table = vips ? new Table("NODE", "STATE", "VERSION", "LAG", "CONNECTED-TO", "LAST-SEEN", "VIPS", "LAST-ERROR")
                        : new Table("NODE", "STATE", "VERSION", "LAG", "CONNECTED-TO", "LAST-SEEN", "LAST-ERROR");
                long now = Clock.systemUTC().millis();
                for (DataPlaneNode node : nodes.getNodesList()) {
                    String error = node.hasLastNack() ? "v" + node.getLastNack().getVersion() + ": " + node.getLastNack().getError() : "";
                    Object[] cells = {node.getNodeId(), node.getState().name().substring("SYNC_STATE_".length()),
                        node.getAppliedVersion(), node.getLag(), node.getConnectedTo(), ago(now - node.getLastSeenUnixMs()), error};
                    table.row(vips ? VipRoles.withRoles(cells, node) : cells);
                }
                table.print(out());
                if (nodes.getNodesCount() == 0) {
                    err().println("no data plane has connected yet (config version " + nodes.getConfigVersion() + ")");
                }
            }
        }
        out().flush();
        return 0;
    }

    static String ago(long millis) {
        if (millis < 1000) {
            return "now";
        }
        long seconds = millis / 1000;
        return seconds < 120 ? seconds + "s ago" : seconds < 7200 ? seconds / 60 + "m ago" : seconds / 3600 + "h ago";
    }

}
