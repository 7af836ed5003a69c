package io.fulcrum.config.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.command.Interpreter;
import io.fulcrum.config.model.ConfigDiff.Outcome;
import io.fulcrum.config.model.ConfigDiff.Plan;
import io.fulcrum.config.model.ConfigDiff.Result;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.proto.v1.Batch;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.ServerGroup;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ConfigDiffTest {

    private static ConfigModel model(String script) {
        Interpreter interpreter = new Interpreter();
        interpreter.exec(script);
        return interpreter.model();
    }

    private static ConfigModel apply(ConfigModel live, Plan plan) {
        return plan.changesNothing() ? live
                : live.apply(Batch.newBuilder().addAllMutations(plan.mutations()).build(), live.version() + 1).model();
    }

    private static final String SEED = String.join("\n",
            "add event-loop-group worker", "add event-loop w1 to event-loop-group worker",
            "add server-group ngx timeout 500 period 1000 up 2 down 3 event-loop-group worker",
            "add server s1 to server-group ngx address 10.0.0.1:80", "add server s2 to server-group ngx address 10.0.0.2:80",
            "add upstream ups", "add server-group ngx to upstream ups",
            "add tcp-lb lb0 address 127.0.0.1:8080 upstream ups");

    @Test
    void fromEmptyEverythingIsCreatedAndASecondPlanChangesNothing() {
        Config desired = model(SEED).toProto();
        Plan plan = ConfigDiff.plan(Config.getDefaultInstance(), desired, false);
        assertEquals(List.of(Result.CREATED, Result.CREATED, Result.CREATED, Result.CREATED),
                plan.outcomes().stream().map(Outcome::result).toList());
        ConfigModel applied = apply(ConfigModel.empty(), plan);
        assertEquals(desired.toBuilder().clearVersion().build(), applied.toProto().toBuilder().clearVersion().build());
        Plan again = ConfigDiff.plan(applied.toProto(), desired, false);
        assertTrue(again.changesNothing());
        assertTrue(again.outcomes().stream().allMatch(o -> o.result() == Result.UNCHANGED));
    }

    @Test
    void updatableChangesAreUpdatesAndFixedOnesReplace() {
        ConfigModel live = model(SEED);
        ConfigModel target = model(SEED.replace("add server s2 to server-group ngx address 10.0.0.2:80",
                "add server s2 to server-group ngx address 10.0.0.2:81 weight 3\nadd server s3 to server-group ngx address 10.0.0.3:80")
                .replace("add server s1 to server-group ngx address 10.0.0.1:80", "")
                .replace("127.0.0.1:8080 upstream ups", "127.0.0.1:8081 upstream ups timeout 5"));
        Plan plan = ConfigDiff.plan(live.toProto(), target.toProto(), false);
        assertEquals(List.of(new Outcome(Kind.EVENT_LOOP_GROUP, "worker", Result.UNCHANGED),
                new Outcome(Kind.SERVER_GROUP, "ngx", Result.CONFIGURED),
                new Outcome(Kind.UPSTREAM, "ups", Result.UNCHANGED),
                new Outcome(Kind.TCP_LB, "lb0", Result.CONFIGURED)), plan.outcomes());
        List<String> commands = plan.mutations().stream().map(ScriptWriter::line).toList();
        assertEquals(List.of(
                "remove server s1 from server-group ngx",
                "remove server s2 from server-group ngx",
                "add server s2 to server-group ngx address 10.0.0.2:81 weight 3",
                "add server s3 to server-group ngx address 10.0.0.3:80 weight 10",
                "remove tcp-lb lb0",
                "add tcp-lb lb0 address 127.0.0.1:8081 upstream ups acceptor-elg (acceptor-elg) event-loop-group (worker-elg) "
                        + "in-buffer-size 16384 out-buffer-size 16384 timeout 5 protocol tcp security-group (allow-all)"),
                commands, "removals nothing can refer to come first");
        ConfigModel applied = apply(live, plan);
        assertTrue(ConfigDiff.plan(applied.toProto(), target.toProto(), false).changesNothing());
    }

    @Test
    void absentResourcesAreDeletedOnlyWhenPruning() {
        ConfigModel live = model(SEED + "\nadd upstream spare");
        Config desired = model(SEED).toProto();
        assertTrue(ConfigDiff.plan(live.toProto(), desired, false).changesNothing());
        Plan pruned = ConfigDiff.plan(live.toProto(), desired, true);
        assertTrue(pruned.outcomes().contains(new Outcome(Kind.UPSTREAM, "spare", Result.DELETED)));
        assertEquals(List.of("remove upstream spare"), pruned.mutations().stream().map(ScriptWriter::line).toList());
    }

    @Test
    void aDeclaredResourceWithoutARequiredFieldIsRefusedByName() {
        Config desired = Config.newBuilder().addServerGroups(ServerGroup.newBuilder().setName("g").setTimeoutMs(1)).build();
        ValidationException e = assertThrows(ValidationException.class,
                () -> ConfigDiff.plan(Config.getDefaultInstance(), desired, false));
        assertEquals("server-group g: missing period (pause between the end of one check and the start of the next: "
                + "an integer 1..3600000 (ms))", e.getMessage());
    }

    @Test
    void applyingThePlanReachesTheTargetForRandomEdits() {
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            ConfigModel live = new RandomConfigs(random).model();
            ConfigModel target = edit(live, random);
            Plan plan = ConfigDiff.plan(live.toProto(), target.toProto(), true);
            ConfigModel applied = apply(live, plan);
            assertTrue(ConfigDiff.plan(applied.toProto(), target.toProto(), true).changesNothing(), "seed " + seed);
            assertEquals(new HashSet<>(ScriptWriter.render(target.toProto())),
                    new HashSet<>(ScriptWriter.render(applied.toProto())), "seed " + seed);
        }
    }

    /** The model with random weights changed, servers removed and one upstream added. */
    private static ConfigModel edit(ConfigModel model, Random random) {
        Batch.Builder batch = Batch.newBuilder().addMutations(
                io.fulcrum.config.command.Script.parse("add upstream added-" + random.nextInt(1000)).toBatch().getMutations(0));
        for (var resource : model.list(Kind.SERVER_GROUP)) {
            ServerGroup group = (ServerGroup) resource;
            for (var server : group.getServersList()) {
                int dice = random.nextInt(4);
                if (dice == 0) {
                    batch.addMutations(io.fulcrum.config.command.Script.parse("remove server " + server.getName()
                            + " from server-group " + group.getName()).toBatch().getMutations(0));
                } else if (dice == 1) {
                    batch.addMutations(io.fulcrum.config.command.Script.parse("update server " + server.getName()
                            + " in server-group " + group.getName() + " weight " + random.nextInt(1001)).toBatch().getMutations(0));
                }
            }
        }
        return model.apply(batch.build(), model.version() + 1).model();
    }

    @Test
    void aListenerOrServerRenamedOnTheSameAddressGoesBack() {
        ConfigModel old = model(SEED);
        ConfigModel live = model(SEED.replace("add tcp-lb lb0", "add tcp-lb lb1").replace("add server s1", "add server s9"));
        ConfigModel back = apply(live, ConfigDiff.plan(live.toProto(), old.toProto(), true));
        assertEquals(ScriptWriter.render(old.toProto()).stream().sorted().toList(),
                ScriptWriter.render(back.toProto()).stream().sorted().toList(), "the same resources (s1 now after s2)");
    }
}
