package io.fulcrum.config.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.config.command.Script;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.proto.v1.Config;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** render → parse → apply gives an equal model, for random models with every resource type. */
@Timeout(60)
class RoundTripPropertyTest {
    private static final int MODELS = 500;

    @Test
    void renderedModelsParseAndApplyBackToAnEqualModel() {
        Set<Kind> covered = EnumSet.noneOf(Kind.class);
        for (int seed = 0; seed < MODELS; seed++) {
            ConfigModel model = new RandomConfigs(new Random(seed)).model();
            String script = String.join("\n", ScriptWriter.render(model.toProto()));
            ConfigModel replayed;
            try {
                replayed = ConfigModel.empty().apply(Script.parse(script).toBatch(), model.version()).model();
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": the rendered script does not apply:\n" + script, e);
            }
            assertEquals(model.toProto(), replayed.toProto(), "seed " + seed + ", script:\n" + script);
            assertEquals(model, ConfigModel.fromConfig(model.toProto()).withIdentity("", model.version()),
                    "seed " + seed + ": fromConfig");
            covered.addAll(kindsIn(model.toProto()));
        }
        assertEquals(EnumSet.allOf(Kind.class), covered, "every resource type is exercised");
    }

    private static Set<Kind> kindsIn(Config config) {
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (var group : config.getEventLoopGroupsList()) {
            kinds.add(Kind.EVENT_LOOP_GROUP);
            if (group.getEventLoopsCount() > 0) {
                kinds.add(Kind.EVENT_LOOP);
            }
        }
        for (var group : config.getSecurityGroupsList()) {
            kinds.add(Kind.SECURITY_GROUP);
            if (group.getRulesCount() > 0) {
                kinds.add(Kind.SECURITY_GROUP_RULE);
            }
        }
        for (var group : config.getServerGroupsList()) {
            kinds.add(Kind.SERVER_GROUP);
            if (group.getServersCount() > 0) {
                kinds.add(Kind.SERVER);
            }
        }
        for (var upstream : config.getUpstreamsList()) {
            kinds.add(Kind.UPSTREAM);
            if (upstream.getServerGroupsCount() > 0) {
                kinds.add(Kind.SERVER_GROUP_LINK);
            }
        }
        if (config.getTcpLbsCount() > 0) {
            kinds.add(Kind.TCP_LB);
        }
        if (config.getCertKeysCount() > 0) {
            kinds.add(Kind.CERT_KEY);
        }
        if (config.getVipsCount() > 0) {
            kinds.add(Kind.VIP);
        }
        return kinds;
    }
}
