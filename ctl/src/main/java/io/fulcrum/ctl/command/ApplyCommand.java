package io.fulcrum.ctl.command;

import io.fulcrum.config.model.ConfigDiff;
import io.fulcrum.config.model.ScriptWriter;
import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.config.manifest.Manifest;
import io.fulcrum.proto.v1.ApplyRequest;
import io.fulcrum.proto.v1.Batch;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.GetRequest;
import io.fulcrum.proto.v1.GetResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fctl apply -f FILE}: make the live config match a manifest, as one atomic batch
 * (compare-and-set on the version the diff was made against).
 */
@Command(name = "apply", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make the config match the resources declared in YAML manifests (one atomic batch).",
            "Children (servers, rules, event loops, server-group links) are declarative: those not listed are removed. "
                    + "Resources absent from the files are kept unless --prune is given."})
final class ApplyCommand extends ClusterCommand {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "manifest file (repeatable)")
    List<Path> files;

    @Option(names = "--dry-run", description = "print what would change and change nothing")
    boolean dryRun;

    @Option(names = "--prune", description = "also delete top-level resources the files do not declare")
    boolean prune;

    ApplyCommand(FctlContext context) {
        super(context);
    }

    @Override
    protected int run(Connection cluster) throws Exception {
        Config.Builder merged = Config.newBuilder();
        for (Path file : files) {
            // each file's certFile/keyFile paths are relative to its own directory
            Path base = file.toAbsolutePath().getParent();
            merged.mergeFrom(Manifest.read(Files.readString(file), base));
        }
        Config desired = merged.build();
        GetResponse live = cluster.call(stubs -> stubs.config().get(GetRequest.getDefaultInstance()));
        ConfigDiff.Plan plan = ConfigDiff.plan(live.getConfig(), desired, prune);
        Batch batch = Batch.newBuilder().addAllMutations(plan.mutations()).setExpectedVersion(live.getVersion())
                .setRequestId(UUID.randomUUID().toString()).setComment("fctl apply").build();
        if (!plan.changesNothing()) {
            try {
                cluster.call(stubs -> stubs.config().apply(ApplyRequest.newBuilder().setBatch(batch).setDryRun(dryRun).build()));
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION
                        && String.valueOf(e.getStatus().getDescription()).startsWith("expected config version")) {
                    throw Status.FAILED_PRECONDITION.withDescription("the config changed while applying; nothing was "
                            + "applied: run fctl apply again").asRuntimeException();
                }
                throw e;
            }
        }
        String suffix = dryRun ? " (dry run)" : "";
        for (ConfigDiff.Outcome outcome : plan.outcomes()) {
            out().println(outcome.kind().word() + "/" + outcome.name() + " "
                    + outcome.result().name().toLowerCase(java.util.Locale.ROOT) + suffix);
        }
        if (dryRun && !plan.changesNothing()) {
            out().println("planned changes (one batch against version " + live.getVersion() + "):");
            plan.mutations().forEach(m -> out().println("  " + ScriptWriter.line(m)));
        }
        out().flush();
        return 0;
    }
}
