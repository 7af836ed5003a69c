package io.fulcrum.config.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fulcrum.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code fulcrum/proxy-protocol-accept} on listeners and {@code fulcrum/proxy-protocol-send} on server groups. */
@Timeout(30)
class ProxyProtocolAnnotationsTest {
    private Interpreter interpreter;

    @BeforeEach
    void seed() {
        interpreter = new Interpreter();
        interpreter.exec(String.join("\n",
                "add server-group web timeout 500 period 1000 up 2 down 3",
                "add upstream ups",
                "add tcp-lb lb0 address 127.0.0.1:8080 upstream ups"));
    }

    @Test
    void validValuesAreAccepted() {
        interpreter.exec("update tcp-lb lb0 annotations {\"fulcrum/proxy-protocol-accept\":\"10.0.0.0/8, 127.0.0.1/32,fd00::/8\"}");
        interpreter.exec("update server-group web annotations {\"fulcrum/proxy-protocol-send\":\"v2\"}");
        assertEquals(Map.of("fulcrum/proxy-protocol-accept", "10.0.0.0/8, 127.0.0.1/32,fd00::/8"),
                interpreter.model().toProto().getTcpLbs(0).getAnnotationsMap());
        assertEquals("v2", interpreter.model().toProto().getServerGroups(0).getAnnotationsMap()
                .get("fulcrum/proxy-protocol-send"));
    }

    @Test
    void badValuesAreRejectedWithWhatIsAllowed() {
        assertError("update tcp-lb lb0: invalid value for annotations: annotation fulcrum/proxy-protocol-accept must be "
                + "a network address without host bits, got \"10.0.0.1/8\" (did you mean 10.0.0.0/8?)",
                "update tcp-lb lb0 annotations {\"fulcrum/proxy-protocol-accept\":\"127.0.0.0/8,10.0.0.1/8\"}");
        assertError("update tcp-lb lb0: invalid value for annotations: annotation fulcrum/proxy-protocol-accept must be "
                + "a network ADDRESS/PREFIX such as 10.0.0.0/8 or fd00::/8, got \"10.0.0.1\"",
                "update tcp-lb lb0 annotations {\"fulcrum/proxy-protocol-accept\":\"10.0.0.1\"}");
        assertError("update server-group web: invalid value for annotations: annotation fulcrum/proxy-protocol-send "
                + "must be off, v1 or v2, got \"V2\"",
                "update server-group web annotations {\"fulcrum/proxy-protocol-send\":\"V2\"}");
    }

    private void assertError(String expected, String command) {
        ConfigException e = assertThrows(ConfigException.class, () -> interpreter.exec(command));
        assertEquals(expected, e.getMessage());
    }
}
