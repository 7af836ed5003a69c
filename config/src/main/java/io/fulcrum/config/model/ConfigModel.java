package io.fulcrum.config.model;

import com.google.protobuf.Message;
import io.fulcrum.config.ConfigException.Reason;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.proto.v1.Batch;
import io.fulcrum.proto.v1.Change;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.Mutation;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration at one version: immutable, validated, deterministic.
 *
 * <p>{@link #apply} returns a new model or throws {@link ValidationException} and changes
 * nothing; the same batch applied to equal models gives equal models on every replica (no clock,
 * no randomness, no hash order: lists keep creation order). Thread-safe.
 */
public final class ConfigModel {
    private static final ConfigModel EMPTY = new ConfigModel("", 0, emptyResources());

    private final String clusterId;
    private final long version;
    private final Map<Kind, Map<String, Message>> resources;
    private final Config config;

    ConfigModel(String clusterId, long version, Map<Kind, Map<String, Message>> resources) {
        this.clusterId = clusterId;
        this.version = version;
        this.resources = resources;
        Config.Builder builder = Config.newBuilder().setClusterId(clusterId).setVersion(version);
        for (Kind kind : Kind.topLevel()) {
            for (Message resource : resources.get(kind).values()) {
                builder.addRepeatedField(kind.listField(), resource);
            }
        }
        this.config = builder.build();
    }

    /** A model with no resources, version 0 and no cluster id. */
    public static ConfigModel empty() {
        return EMPTY;
    }

    /**
     * Validates {@code config} (as if every resource were added in order) and returns it as a
     * model with the config's cluster id and version.
     *
     * @throws ValidationException if the config is not valid
     */
    public static ConfigModel fromConfig(Config config) {
        // a stored config's discovered servers were written by discovery: restoring them is no hand edit
        Batch batch = Batch.newBuilder().setPrincipal(DiscoveryRules.PRINCIPAL)
                .addAllMutations(ScriptWriter.additions(config)).build();
        if (batch.getMutationsCount() == 0) {
            return EMPTY.withIdentity(config.getClusterId(), config.getVersion());
        }
        return EMPTY.apply(batch, config.getVersion()).model().withIdentity(config.getClusterId(), config.getVersion());
    }

    /** The result of a batch: the new model and what changed, one entry per mutation. */
    public record Applied(ConfigModel model, List<Change> changes) {
    }

    /**
     * Applies {@code batch} atomically. The new model has version {@code newVersion} and this
     * model's cluster id. Checks {@code expected_version} against this model's version.
     *
     * @throws ValidationException naming the first mutation that failed; nothing is applied
     */
    public Applied apply(Batch batch, long newVersion) {
        if (batch.getExpectedVersion() != 0 && batch.getExpectedVersion() != version) {
            throw new ValidationException(Reason.FAILED_PRECONDITION, "expected config version "
                    + batch.getExpectedVersion() + " but it is at version " + version
                    + "; read the config again and retry");
        }
        if (batch.getMutationsCount() == 0) {
            throw ValidationException.invalid("a batch needs at least one mutation");
        }
        BatchApplier applier = new BatchApplier(this, DiscoveryRules.PRINCIPAL.equals(batch.getPrincipal()));
        List<Mutation> mutations = batch.getMutationsList();
        for (int i = 0; i < mutations.size(); i++) {
            try {
                applier.apply(mutations.get(i));
            } catch (ValidationException e) {
                throw e.withContext(describe(mutations.get(i)), i);
            }
        }
        try {
            applier.checkInvariants();
        } catch (ValidationException e) {
            throw mutations.size() == 1 ? e.withContext(describe(mutations.get(0)), 0) : e;
        }
        return new Applied(new ConfigModel(clusterId, newVersion, applier.result()), applier.changes());
    }

    private static String describe(Mutation mutation) {
        try {
            return ScriptWriter.head(mutation.getAction(), Target.of(mutation));
        } catch (ValidationException e) {
            return mutation.getAction().name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The same resources under another cluster id and version. */
    public ConfigModel withIdentity(String clusterId, long version) {
        return new ConfigModel(clusterId, version, resources);
    }

    public String clusterId() {
        return clusterId;
    }

    public long version() {
        return version;
    }

    /** The whole model as a proto (cluster id, version, every resource). */
    public Config toProto() {
        return config;
    }

    /** The resources of a top-level kind in creation order. */
    public List<Message> list(Kind kind) {
        return List.copyOf(resources.get(kind).values());
    }

    /**
     * The resources of a nested kind inside {@code parent}, in creation order; empty for a
     * built-in parent.
     *
     * @throws ValidationException NOT_FOUND if the parent does not exist
     */
    public List<Message> list(Kind kind, String parent) {
        if (!kind.isNested()) {
            return list(kind);
        }
        if (kind.parent().isBuiltIn(parent)) {
            return List.of();
        }
        Message container = resources.get(kind.parent()).get(parent);
        if (container == null) {
            throw BatchApplier.notFound(kind.parent(), parent, null);
        }
        @SuppressWarnings("unchecked")
        List<Message> children = (List<Message>) container.getField(kind.listField());
        return children;
    }

    /** The resource named {@code name} (inside {@code parent} for nested kinds), if it exists. */
    public Optional<Message> find(Kind kind, String parent, String name) {
        if (!kind.isNested()) {
            return Optional.ofNullable(resources.get(kind).get(name));
        }
        Message container = resources.get(kind.parent()).get(parent);
        return container == null ? Optional.empty() : Optional.ofNullable(BatchApplier.child(container, kind, name));
    }

    Map<String, Message> resourcesOf(Kind kind) {
        return resources.get(kind);
    }

    private static Map<Kind, Map<String, Message>> emptyResources() {
        Map<Kind, Map<String, Message>> empty = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.topLevel()) {
            empty.put(kind, Collections.unmodifiableMap(new LinkedHashMap<>()));
        }
        return Collections.unmodifiableMap(empty);
    }

    /** Equal when cluster id, version and every resource are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ConfigModel model && config.equals(model.config);
    }

    @Override
    public int hashCode() {
        return config.hashCode();
    }

    @Override
    public String toString() {
        return "ConfigModel{cluster=" + clusterId + ", version=" + version + "}";
    }
}
