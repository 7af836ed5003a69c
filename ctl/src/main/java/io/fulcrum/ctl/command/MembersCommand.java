package io.fulcrum.ctl.command;

import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.ctl.output.Table;
import io.fulcrum.proto.v1.AddMemberRequest;
import io.fulcrum.proto.v1.Member;
import io.fulcrum.proto.v1.MembershipResponse;
import io.fulcrum.proto.v1.RemoveMemberRequest;
import io.fulcrum.proto.v1.TransferLeaderRequest;
import java.io.PrintWriter;
import io.fulcrum.ctl.connect.ConnectionOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fctl members add|remove|transfer-leader}: change the control-plane membership. */
@Command(name = "members", mixinStandardHelpOptions = true, description = "Change the control-plane members.",
        subcommands = {MembersCommand.Add.class, MembersCommand.Remove.class, MembersCommand.TransferLeader.class})
final class MembersCommand {
    @Mixin
    ConnectionOptions connection;

    static void print(MembershipResponse members, PrintWriter out) {
        Table table = new Table("MEMBER", "RAFT", "API", "ROLE");
        for (Member m : members.getMembersList()) {
            table.row(m.getId(), m.getRaftAddress(), m.getApiAddress(), m.getLeader() ? "leader" : "follower");
        }
        table.print(out);
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a member started with --join; it is added once it has caught up.")
    static final class Add extends ClusterCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--raft", required = true, paramLabel = "HOST:PORT")
        String raft;

        @Option(names = "--api", required = true, paramLabel = "HOST:PORT")
        String api;

        Add(FctlContext context) {
            super(context);
        }

        @Override
        protected int run(Connection cluster) {
            AddMemberRequest request = AddMemberRequest.newBuilder().setId(id).setRaftAddress(raft).setApiAddress(api).build();
            // catching up can take a while: a minute unless --timeout says otherwise
            int seconds = given.timeoutGiven() != null ? given.timeoutGiven() : 60;
            print(cluster.call(stubs -> stubs.cluster().withDeadlineAfter(seconds, java.util.concurrent.TimeUnit.SECONDS)
                    .addMember(request)), out());
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a member from the cluster.")
    static final class Remove extends ClusterCommand {
        @Parameters(paramLabel = "ID")
        String id;

        Remove(FctlContext context) {
            super(context);
        }

        @Override
        protected int run(Connection cluster) {
            print(cluster.call(stubs -> stubs.cluster().removeMember(RemoveMemberRequest.newBuilder().setId(id).build())), out());
            return 0;
        }
    }

    @Command(name = "transfer-leader", mixinStandardHelpOptions = true,
            description = "Move the leadership to a member (default: the most up-to-date other one).")
    static final class TransferLeader extends ClusterCommand {
        @Parameters(paramLabel = "ID", arity = "0..1")
        String id = "";

        TransferLeader(FctlContext context) {
            super(context);
        }

        @Override
        protected int run(Connection cluster) {
            print(cluster.call(stubs -> stubs.cluster().transferLeader(TransferLeaderRequest.newBuilder().setId(id).build())), out());
            return 0;
        }
    }
}
