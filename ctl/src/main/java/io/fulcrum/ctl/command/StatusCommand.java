package io.fulcrum.ctl.command;

import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.ctl.output.Format;
import io.fulcrum.ctl.output.Table;
import io.fulcrum.proto.v1.Member;
import io.fulcrum.proto.v1.Reachability;
import io.fulcrum.proto.v1.StatusRequest;
import io.fulcrum.proto.v1.StatusResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fctl status}: members, leader, term, indexes, config version. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the control-plane cluster: members, leader, term, indexes.")
final class StatusCommand extends ClusterCommand {
    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml (default: table)")
    Format output;

    StatusCommand(FctlContext context) {
        super(context);
    }

    /** leader, follower, or {@code unreachable (12s)} when the leader has not heard from it for that long. */
    static String role(Member member) {
        if (member.getReachability() == Reachability.REACHABILITY_UNREACHABLE) {
            return "unreachable (" + member.getUnreachableForMs() / 1000 + "s)";
        }
        return member.getLeader() ? "leader" : "follower";
    }

    @Override
    protected int run(Connection cluster) {
        StatusResponse status = cluster.call(stubs -> stubs.cluster().status(StatusRequest.getDefaultInstance()));
        switch (output) {
            case JSON -> out().println(Format.json(status));
            case YAML -> out().print(Format.yaml(status));
            case TABLE -> {
                out().println("cluster " + status.getClusterId() + "  config version " + status.getConfigVersion());
                out().println("leader " + (status.getLeaderId().isEmpty() ? "(none)" : status.getLeaderId()) + "  term "
                        + status.getTerm() + "  commit index " + status.getCommitIndex() + "  applied index "
                        + status.getAppliedIndex() + "  (answered by " + status.getNodeId() + ", " + status.getRole().toLowerCase(
                        java.util.Locale.ROOT) + ")");
                Table members = new Table("MEMBER", "RAFT", "API", "ROLE");
                for (Member m : status.getMembersList()) {
                    members.row(m.getId(), m.getRaftAddress(), m.getApiAddress(), role(m));
                }
                members.print(out());
                if (status.getReachabilityFrom().isEmpty()) {
                    err().println("which members the leader reaches is unknown: no leader answered");
                }
            }
        }
        out().flush();
        return 0;
    }
}
