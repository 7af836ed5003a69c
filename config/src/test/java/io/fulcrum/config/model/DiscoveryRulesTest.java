package io.fulcrum.config.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.ConfigException;
import io.fulcrum.config.command.Interpreter;
import io.fulcrum.config.command.Script;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.proto.v1.Batch;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.ServerGroup;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DiscoveryRulesTest {
    private static final String GROUP = "add server-group redis timeout 500 period 1000 up 2 down 3 "
            + "discovery srv:_redis._tcp.Service.consul. discovery-resolver 127.0.0.1:8600 discovery-interval 1000";

    private static ConfigModel model(String script) {
        Interpreter interpreter = new Interpreter();
        interpreter.exec(script);
        return interpreter.model();
    }

    /** What the leader's resolver commits: the same commands under its principal. */
    private static ConfigModel byDiscovery(ConfigModel model, String script) {
        Batch batch = Script.parse(script).toBatch().toBuilder().setPrincipal(DiscoveryRules.PRINCIPAL).build();
        return model.apply(batch, model.version() + 1).model();
    }

    private static ConfigException refused(ConfigModel model, String command) {
        Interpreter interpreter = new Interpreter(model, (g, s) -> "UNKNOWN");
        return assertThrows(ConfigException.class, () -> interpreter.exec(command));
    }

    @Test
    void sourceIsNormalizedAndTheOtherParametersHoldTheirValuesInEffect() {
        ServerGroup group = (ServerGroup) model(GROUP).find(Kind.SERVER_GROUP, null, "redis").orElseThrow();
        assertEquals("srv:_redis._tcp.service.consul", group.getDiscovery());
        assertEquals("127.0.0.1:8600", group.getDiscoveryResolver());
        assertEquals(1000, group.getDiscoveryIntervalMs());
        assertEquals(30_000, group.getDiscoveryHoldEmptyMs());
        ServerGroup without = (ServerGroup) model("add server-group g timeout 1 period 1 up 1 down 1")
                .find(Kind.SERVER_GROUP, null, "g").orElseThrow();
        assertEquals(ServerGroup.newBuilder().setName("g").setTimeoutMs(1).setPeriodMs(1).setUp(1).setDown(1)
                .setProtocol(without.getProtocol()).setMethod(without.getMethod()).setEventLoopGroup("(control-elg)").build(),
                without, "a group without a source stores no discovery parameter");
        ServerGroup plain = (ServerGroup) model(GROUP.replace(
                "srv:_redis._tcp.Service.consul.", "dns:Redis.example.com:6379").replace("group redis", "group dns").replace("127.0.0.1:8600", "10.0.0.1,[::1]:5353"))
                .find(Kind.SERVER_GROUP, null, "dns").orElseThrow();
        assertEquals("dns:redis.example.com:6379", plain.getDiscovery());
        assertEquals("10.0.0.1:53,[::1]:5353", plain.getDiscoveryResolver());
    }

    @Test
    void handEditsOfADiscoveredGroupsServersAreRefusedNamingTheSource() {
        ConfigModel model = byDiscovery(model(GROUP), "add server a.consul:6379 to server-group redis address 10.0.0.1:6379");
        for (String edit : List.of("add server s1 to server-group redis address 10.0.0.2:6379",
                "update server a.consul:6379 in server-group redis weight 5",
                "remove server a.consul:6379 from server-group redis")) {
            ConfigException e = refused(model, edit);
            assertEquals(ConfigException.Reason.FAILED_PRECONDITION, e.reason(), edit);
            assertTrue(e.getMessage().contains("server-group redis is owned by its discovery source "
                    + "srv:_redis._tcp.service.consul: its servers change only through discovery"), e.getMessage());
        }
    }

    @Test
    void discoveryNoneHandsTheServersBackAndClearsTheOtherParameters() {
        ConfigModel model = byDiscovery(model(GROUP), "add server a.consul:6379 to server-group redis address 10.0.0.1:6379");
        Interpreter interpreter = new Interpreter(model, (g, s) -> "UNKNOWN");
        interpreter.exec("update server-group redis discovery none");
        interpreter.exec("update server a.consul:6379 in server-group redis weight 5");
        ServerGroup group = (ServerGroup) interpreter.model().find(Kind.SERVER_GROUP, null, "redis").orElseThrow();
        assertEquals("", group.getDiscoveryResolver());
        assertEquals(0, group.getDiscoveryIntervalMs());
        interpreter.exec("update server-group redis discovery dns:redis.test:6379");
        group = (ServerGroup) interpreter.model().find(Kind.SERVER_GROUP, null, "redis").orElseThrow();
        assertEquals(5000, group.getDiscoveryIntervalMs(), "a new source starts with the defaults");
        assertEquals(5, group.getServers(0).getWeight());
    }

    @Test
    void parametersWithoutASourceAndBadValuesNameTheParameter() {
        ConfigException e = assertThrows(ConfigException.class, () ->
                model("add server-group g timeout 1 period 1 up 1 down 1 discovery-interval 1000"));
        assertTrue(e.getMessage().contains("discovery-interval applies only to a server group with discovery"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> model("add server-group g timeout 1 period 1 up 1 down 1 discovery consul"));
        assertTrue(e.getMessage().contains("invalid value for discovery: must be srv:NAME"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> model("add server-group g timeout 1 period 1 up 1 down 1 discovery dns:10.0.0.1:80"));
        assertTrue(e.getMessage().contains("dns: needs a host name"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> model(GROUP.replace("127.0.0.1:8600", "consul:8600")));
        assertTrue(e.getMessage().contains("invalid value for discovery-resolver: must be system or"), e.getMessage());
    }

    @Test
    void saveLeavesTheDiscoveredServersOutAndLoadsBack() {
        ConfigModel model = byDiscovery(model(GROUP), "add server a.consul:6379 to server-group redis address 10.0.0.1:6379 priority 2");
        List<String> saved = ScriptWriter.render(model.toProto());
        assertEquals(List.of("add server-group redis timeout 500 period 1000 up 2 down 3 protocol tcp method wrr "
                + "event-loop-group (control-elg) discovery srv:_redis._tcp.service.consul "
                + "discovery-resolver 127.0.0.1:8600 discovery-interval 1000 discovery-timeout 2000 discovery-hold-empty 30000"), saved);
        ConfigModel loaded = model(String.join("\n", saved));
        Config restored = ConfigModel.fromConfig(model.toProto()).toProto();
        assertEquals(model.toProto(), restored);
        assertEquals(0, ((ServerGroup) loaded.find(Kind.SERVER_GROUP, null, "redis").orElseThrow()).getServersCount());
    }

    @Test
    void aManifestOfADiscoveredGroupLeavesItsServersAlone() {
        ConfigModel live = byDiscovery(model(GROUP), "add server a.consul:6379 to server-group redis address 10.0.0.1:6379");
        assertTrue(ConfigDiff.plan(live.toProto(), live.toProto(), false).changesNothing());
        Config withoutServers = live.toProto().toBuilder().setServerGroups(0,
                live.toProto().getServerGroups(0).toBuilder().clearServers()).build();
        assertTrue(ConfigDiff.plan(live.toProto(), withoutServers, false).changesNothing());
    }
}
