package io.fulcrum.config.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.proto.v1.ExecResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class VproxyExamplesTest {

    @Test
    void orderedScriptAppliesLineByLineToAnEmptyModel() throws IOException {
        Interpreter interpreter = new Interpreter();
        List<String> lines = SeedWalkthroughTest.resource("ordered-script.txt").lines().filter(l -> !l.isBlank()).toList();
        assertEquals(97, lines.size());
        Map<String, List<String>> expected = Map.of(
                "list-detail security-group-rule in security-group secg0",
                List.of("secgr0 -> allow 127.0.0.0/8 protocol TCP port [38080,38080]"),
                "list-detail server-group in upstream ups0",
                List.of("sg0 -> timeout 500 period 800 up 4 down 5 protocol tcp method wrr event-loop-group elg0 "
                        + "annotations {} weight 10"),
                "list event-loop-group", List.of("elg0", "acceptor", "worker"),
                "list-detail event-loop in event-loop-group elg0", List.of("el0 -> annotations {}"));
        List<String> seen = new ArrayList<>();
        for (String line : lines) {
            ExecResponse reply = interpreter.exec(line);
            if (expected.containsKey(line) && !seen.contains(line)) {
                assertEquals(expected.get(line), reply.getLinesList(), line);
                seen.add(line);
            }
            if (line.equals("list-detail tcp-lb") && seen.contains("update-done")) {
                assertTrue(reply.getLines(0).startsWith("lb0 -> acceptor elg0 worker elg0 bind 127.0.0.1:38080 backend ups0 "
                        + "in-buffer-size 32768 out-buffer-size 32768 protocol tcp security-group secg0"), reply.getLines(0));
            }
            if (line.startsWith("update security-group")) {
                seen.add("update-done");
            }
        }
        assertEquals(expected.size() + 1, seen.size());
        // it ends by removing everything
        assertEquals(io.fulcrum.config.model.ConfigModel.empty().toProto().toBuilder().setVersion(0).build(),
                interpreter.model().toProto().toBuilder().setVersion(0).build());
    }

    @Test
    void everyDocumentedCommandParses() throws IOException {
        List<String> rows = SeedWalkthroughTest.resource("documented.tsv").lines().skip(1).toList();
        int parsed = 0;
        for (String row : rows) {
            String command = row.split("\t", -1)[1];
            if (command.contains(" ip ")) {
                // a parameter vproxy no longer has (2019 benchmark reports): rejected, naming it
                CommandException e = assertThrows(CommandException.class, () -> CommandParser.parse(command));
                assertTrue(e.getMessage().contains("unknown parameter \"ip\""), e.getMessage());
                assertTrue(e.getMessage().contains("allowed: address (addr), weight"), e.getMessage());
                continue;
            }
            assertInstanceOf(Command.class, CommandParser.parse(command), command);
            parsed++;
        }
        assertEquals(120, parsed);
    }

    @Test
    void vproxyProtocolsThatFulcrumLacksParseButAreRejectedClearly() {
        Command command = (Command) CommandParser.parse("add tcp-lb tl0 acceptor-elg (acceptor-elg) event-loop-group "
                + "(worker-elg) address 0.0.0.0:8800 upstream ups timeout 900000 in-buffer-size 16384 "
                + "out-buffer-size 16384 protocol h2");
        CommandException e = assertThrows(CommandException.class, command::toMutation);
        assertEquals("add tcp-lb tl0: invalid value for protocol: h2 is not supported by Fulcrum, allowed: tcp, http",
                e.getMessage());
    }
}
