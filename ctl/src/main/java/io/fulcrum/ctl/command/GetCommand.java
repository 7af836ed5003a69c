package io.fulcrum.ctl.command;

import com.google.protobuf.Message;
import io.fulcrum.config.command.Grammar;
import io.fulcrum.config.model.Target;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.ctl.cli.ExitCodes;
import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.config.manifest.Manifest;
import io.fulcrum.ctl.output.Format;
import io.fulcrum.ctl.output.Table;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.GetRequest;
import io.fulcrum.proto.v1.GetResponse;
import io.fulcrum.proto.v1.HealthRequest;
import io.fulcrum.proto.v1.ListResponse;
import io.fulcrum.proto.v1.ServerHealthSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code fctl get TYPE [NAME] -o table|json|yaml}: resources as a table or for programs. */
@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show resources: a table, JSON, or YAML manifests that fctl apply accepts.",
            "TYPE is a command-language type (server-group, sg, servers, tcp-lb, ...) or all."})
final class GetCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "TYPE")
    String type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = "--in", paramLabel = "PARENT", description = "only inside this container (for servers, rules, event loops)")
    String parent;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml (default: table)")
    Format output;

    GetCommand(FctlContext context) {
        super(context);
    }

    @Override
    protected int run(Connection cluster) {
        Format format = output;
        List<Kind> kinds;
        try {
            kinds = kinds(type);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        GetResponse response = cluster.call(stubs -> stubs.config().get(GetRequest.getDefaultInstance()));
        Config config = CertKeySecrets.redacted(response.getConfig());
        Map<Kind, List<Target>> found = new LinkedHashMap<>();
        for (Kind kind : kinds) {
            found.put(kind, select(config, kind));
        }
        if (name != null && found.values().stream().allMatch(List::isEmpty)) {
            throw new ExitCodes.NotFoundException("no " + type + " named " + name + (parent == null ? "" : " in " + parent));
        }
        switch (format) {
            case JSON -> out().println(Format.json(filtered(config, found)));
            case YAML -> out().print(yaml(found, config));
            case TABLE -> found.forEach((kind, targets) -> {
                if (!targets.isEmpty() || kinds.size() == 1) {
                    Tables.of(kind, targets, health(cluster, kind), nodes(cluster, kind)).print(out());
                }
            });
        }
        out().flush();
        return 0;
    }

    private List<Target> select(Config config, Kind kind) {
        List<Target> targets = new ArrayList<>();
        Kind top = kind.isNested() ? kind.parent() : kind;
        for (Object item : (List<?>) config.getField(top.listField())) {
            Message container = (Message) item;
            if (!kind.isNested()) {
                targets.add(new Target(kind, null, container));
                continue;
            }
            String parentName = top.nameOf(container);
            if (parent != null && !parent.equals(parentName)) {
                continue;
            }
            for (Object child : (List<?>) container.getField(kind.listField())) {
                targets.add(new Target(kind, parentName, (Message) child));
            }
        }
        return targets.stream().filter(t -> name == null || t.name().equals(name)).toList();
    }

    /** Top-level kinds: the config holding just them; nested kinds: the list of resources with parents. */
    private static Message filtered(Config config, Map<Kind, List<Target>> found) {
        if (found.keySet().stream().anyMatch(Kind::isNested)) {
            ListResponse.Builder list = ListResponse.newBuilder().setVersion(config.getVersion());
            found.values().forEach(targets -> targets.forEach(t -> list.addResources(t.toResource())));
            return list.build();
        }
        Config.Builder only = Config.newBuilder().setClusterId(config.getClusterId()).setVersion(config.getVersion());
        found.forEach((kind, targets) -> targets.forEach(t -> only.addRepeatedField(kind.listField(), t.resource())));
        return GetResponse.newBuilder().setVersion(config.getVersion()).setConfig(only).build();
    }

    /**
     * Manifests that {@code fctl apply} accepts. A nested resource (a server, a rule, an event
     * loop) is declared inside its container, and apply treats a container's children as the
     * whole list, so nested kinds print the containers that hold them, whole.
     */
    private String yaml(Map<Kind, List<Target>> found, Config config) {
        Map<String, String> documents = new LinkedHashMap<>();
        for (Map.Entry<Kind, List<Target>> entry : found.entrySet()) {
            Kind kind = entry.getKey();
            for (Target target : entry.getValue()) {
                if (!kind.isNested()) {
                    documents.put(kind.word() + "/" + target.name(), Manifest.write(kind, target.resource()));
                    continue;
                }
                Kind top = kind.parent();
                documents.computeIfAbsent(top.word() + "/" + target.parent(), key -> Manifest.write(top, container(config, top,
                        target.parent())));
            }
        }
        if (found.keySet().stream().anyMatch(Kind::isNested) && !documents.isEmpty()) {
            err().println("fctl: " + type + " are declared inside their " + found.keySet().iterator().next().parent().word()
                    + ": printing the whole " + found.keySet().iterator().next().parent().word() + " manifests that hold them");
        }
        return String.join("---\n", documents.values());
    }

    private static Message container(Config config, Kind top, String name) {
        for (Object item : (List<?>) config.getField(top.listField())) {
            if (top.nameOf((Message) item).equals(name)) {
                return (Message) item;
            }
        }
        throw new IllegalStateException("no " + top.word() + " " + name + " in the config that listed it");
    }

    /** The data planes with their VIP roles, for the VIP table's holder; empty for other kinds. */
    private static List<io.fulcrum.proto.v1.DataPlaneNode> nodes(Connection cluster, Kind kind) {
        if (kind != Kind.VIP) {
            return List.of();
        }
        try {
            return cluster.call(stubs -> stubs.cluster().nodes(io.fulcrum.proto.v1.NodesRequest.getDefaultInstance())).getNodesList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private List<ServerHealthSummary> health(Connection cluster, Kind kind) {
        if (kind != Kind.SERVER) {
            return List.of();
        }
        try {
            return cluster.call(stubs -> stubs.cluster().health(HealthRequest.newBuilder()
                    .setServerGroup(parent == null ? "" : parent).build())).getServersList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** The kinds a TYPE word stands for: a type word or its short or plural form, or all. */
    static List<Kind> kinds(String word) {
        if (word.equals("all")) {
            return Kind.topLevel();
        }
        String type = Grammar.typeWord(word);
        if (type == null && word.endsWith("s")) {
            type = Grammar.typeWord(word.substring(0, word.length() - 1));
        }
        for (Kind kind : Kind.values()) {
            if (kind.word().equals(type) && kind != Kind.SERVER_GROUP_LINK) {
                return List.of(kind);
            }
        }
        throw new IllegalArgumentException("unknown type " + word + "; allowed: " + String.join(", ", Grammar.typeWords())
                + " (or their short forms and plurals), all");
    }
}
