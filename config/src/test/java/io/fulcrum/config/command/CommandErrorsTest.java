package io.fulcrum.config.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fulcrum.config.ConfigException;
import io.fulcrum.config.ConfigException.Reason;
import io.fulcrum.config.model.ConfigModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every error names the command, the parameter and what is allowed; nothing is half-applied. */
@Timeout(30)
class CommandErrorsTest {
    private Interpreter interpreter;

    @BeforeEach
    void seed() {
        interpreter = new Interpreter();
        interpreter.exec(String.join("\n",
                "add event-loop-group worker",
                "add event-loop w1 to event-loop-group worker",
                "add server-group ngx timeout 500 period 1000 up 2 down 3 event-loop-group worker",
                "add server backend1 to server-group ngx address 10.0.2.1:80",
                "add upstream backend-groups",
                "add server-group ngx to upstream backend-groups",
                "add tcp-lb lb0 address 127.0.0.1:8080 upstream backend-groups event-loop-group worker"));
    }

    private ConfigException fails(String command) {
        ConfigModel before = interpreter.model();
        ConfigException e = assertThrows(ConfigException.class, () -> interpreter.exec(command));
        assertSame(before, interpreter.model(), "the model must be unchanged after: " + command);
        return e;
    }

    private void assertError(String expected, String command) {
        assertEquals(expected, fails(command).getMessage());
    }

    @Test
    void vproxyWordingIsKept() {
        assertError("add server backend9 to server-group nope: Cannot find server-group with name nope",
                "add server backend9 to server-group nope address 10.0.2.9:80");
        assertError("add server-group ngx: Duplicated entry for server-group with name ngx",
                "add server-group ngx timeout 1 period 1 up 1 down 1");
        assertError("remove upstream backend-groups: upstream backend-groups is used by tcp-lb lb0",
                "remove upstream backend-groups");
        assertError("remove server-group ngx: server-group ngx is used by upstream backend-groups",
                "remove server-group ngx");
        assertError("remove event-loop-group worker: event-loop-group worker is used by server-group ngx",
                "remove event-loop-group worker");
        assertError("add server-group sg1: invalid value for up: must be an integer 1..1000, got \"two\"",
                "add server-group sg1 timeout 500 period 1000 up two down 3");
        assertError("unsupported action update for event-loop", "update event-loop w1 in event-loop-group worker");
    }

    @Test
    void missingAndUnknownParametersNameWhatIsAllowed() {
        assertError("add server s2: missing parameter address (where the server listens; a host name is resolved by "
                        + "each data-plane node: HOST:PORT (IPv4, [IPv6] or a host name; port 1..65535))",
                "add server s2 to server-group ngx weight 3");
        assertError("add server s2: unknown parameter \"ip\"; allowed: address (addr), weight, priority, drain",
                "add server s2 to server-group ngx address 10.0.0.1:80 ip 0.0.0.0");
        assertError("update tcp-lb lb0: unknown parameter \"address\"; allowed: in-buffer-size, out-buffer-size, timeout, "
                + "security-group (secg), annotations (anno), cert-key (ck)", "update tcp-lb lb0 address 127.0.0.1:9");
        assertError("update server-group ngx: timeout, period, up, down are updated together; missing: up, down",
                "update server-group ngx timeout 100 period 100");
        assertError("add server s2: parameter weight is given twice",
                "add server s2 to server-group ngx address 10.0.0.1:80 weight 1 weight 2");
        assertError("add server s2: missing value for parameter weight", "add server s2 to server-group ngx weight");
    }

    @Test
    void grammarMistakesAreExplained() {
        assertError("unknown action \"ad\"; allowed: add, list (ls), list-detail (ll), update (mod), remove (rm), man",
                "ad upstream x");
        assertError("add: unknown resource type \"upstreams\"; allowed: event-loop-group (elg), event-loop (el), "
                + "server-group (sg), server (svr), upstream (ups), tcp-lb (tl), security-group (secg), "
                + "security-group-rule (secgr), vip (vip), cert-key (ck)", "add upstreams x");
        assertError("add server s1: missing \"to TYPE NAME\" clause; usage: add server NAME to server-group SERVER-GROUP "
                + "address ADDRESS [weight WEIGHT] [priority PRIORITY] [drain DRAIN]", "add server s1 address 1.2.3.4:5");
        assertError("add server s1: use \"to server-group ngx\" with add, not \"in\"",
                "add server s1 in server-group ngx address 1.2.3.4:5");
        assertError("remove upstream: missing name; usage: remove upstream NAME", "remove upstream");
        assertError("empty command; try: man", "   ");
        assertError("unterminated JSON object starting at column 36: close it with }",
                "add event-loop-group e annotations {\"a\":\"b\"");
    }

    @Test
    void valuesAreCheckedWithTheirRules() {
        assertError("add server s2 to server-group ngx: invalid value for address: must be HOST:PORT (IPv4, [IPv6] or a host name, port "
                + "1..65535), got \"10.0.0.1:70000\"", "add server s2 to server-group ngx address 10.0.0.1:70000");
        assertError("add tcp-lb lb1: invalid value for address: must be IP:PORT (IPv4 or [IPv6], port 1..65535), got "
                + "\"localhost:80\"", "add tcp-lb lb1 address localhost:80 upstream backend-groups");
        assertError("add security-group-rule r1 to security-group s: invalid value for network: must be a network address without host bits, "
                + "got \"10.0.0.1/8\" (did you mean 10.0.0.0/8?)",
                "add security-group-rule r1 to security-group s network 10.0.0.1/8 protocol TCP port-range 1,2 default allow");
        assertError("add server-group g2: invalid value for method: must be one of wrr, wlc, source, got \"rr\"",
                "add server-group g2 timeout 1 period 1 up 1 down 1 method rr");
        assertError("add server-group g2: invalid value for annotations: unknown annotation \"fulcrum/hc-uri\" (keys under "
                + "fulcrum/ are reserved; known here: fulcrum/hc-http-host, fulcrum/hc-http-method, fulcrum/hc-http-status, "
                + "fulcrum/hc-http-uri, fulcrum/proxy-protocol-send)",
                "add server-group g2 timeout 1 period 1 up 1 down 1 annotations {\"fulcrum/hc-uri\":\"/\"}");
        assertError("add server-group g2: invalid value for annotations: annotation fulcrum/hc-http-status must be a "
                + "comma-separated list of classes (2xx), codes (204) or ranges (200-299) within 100..599, got \"2xx,600\"",
                "add server-group g2 timeout 1 period 1 up 1 down 1 annotations {\"fulcrum/hc-http-status\":\"2xx,600\"}");
    }

    @Test
    void modelRulesProtectTheRunningConfig() {
        assertError("add tcp-lb lb1: address 0.0.0.0:8080 overlaps tcp-lb lb0 bound to 127.0.0.1:8080",
                "add tcp-lb lb1 address 0.0.0.0:8080 upstream backend-groups");
        assertError("add server backend2 to server-group ngx: server-group ngx already has server backend1 at 10.0.2.1:80",
                "add server backend2 to server-group ngx address 10.0.2.1:80");
        assertError("remove event-loop w1 from event-loop-group worker: event-loop-group worker has no event-loop but "
                        + "server-group ngx uses it as event-loop-group; add one: add event-loop NAME to event-loop-group worker",
                "remove event-loop w1 from event-loop-group worker");
        assertError("add event-loop e1 to event-loop-group (worker-elg): event-loop-group (worker-elg) is built in and "
                + "cannot be changed", "add event-loop e1 to event-loop-group (worker-elg)");
        assertError("remove security-group (allow-all): security-group (allow-all) is built in and cannot be removed",
                "remove security-group (allow-all)");
        assertError("add upstream (mine): invalid name \"(mine)\" for an upstream: must be 1 to 128 letters, digits, '.', "
                + "'_', '-' or ':', starting with a letter or digit (names in parentheses are reserved for built-in "
                + "resources)", "add upstream (mine)");
    }

    @Test
    void aScriptIsAtomicAndNamesTheFailingLine() {
        ConfigException e = fails(String.join("\n",
                "# a comment",
                "add upstream u2",
                "",
                "add server-group g2 timeout 1 period 1 up 1 down 1",
                "add server-group g2 to upstream nope"));
        assertEquals("line 5: add server-group g2 to upstream nope: Cannot find upstream with name nope", e.getMessage());
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertEquals("line 2: list upstream: a script of several commands holds changes only; run list, list-detail "
                + "and man on their own", fails("add upstream u3\nlist upstream").getMessage());
        assertEquals("line 2: add upstream: missing name; usage: add upstream NAME",
                fails("add upstream u3\nadd upstream").getMessage());
    }

    @Test
    void reasonsClassifyFailures() {
        assertEquals(Reason.ALREADY_EXISTS, fails("add upstream backend-groups").reason());
        assertEquals(Reason.NOT_FOUND, fails("remove upstream nope").reason());
        assertEquals(Reason.FAILED_PRECONDITION, fails("remove upstream backend-groups").reason());
        assertEquals(Reason.INVALID_ARGUMENT, fails("add upstream").reason());
        assertEquals(Reason.NOT_FOUND, fails("list server in server-group nope").reason());
    }
}
