package io.fulcrum.config.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.model.ScriptWriter;
import io.fulcrum.proto.v1.ExecResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SeedWalkthroughTest {

    /** The lines of the walkthrough's code blocks. */
    static List<String> codeBlockLines(String markdown) {
        List<String> lines = new ArrayList<>();
        boolean inBlock = false;
        for (String line : markdown.split("\n")) {
            if (line.strip().startsWith("```")) {
                inBlock = !inBlock;
            } else if (inBlock && !line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    static String resource(String name) throws IOException {
        try (InputStream in = SeedWalkthroughTest.class.getResourceAsStream("/vproxy/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static boolean isCommandLanguage(String line) {
        String first = line.split("\\s+")[0];
        return Action.lookup(first) != null;
    }

    @Test
    void everyCommandOfTheWalkthroughAppliesInOrderAndShowsTheServers() throws IOException {
        List<String> blockLines = codeBlockLines(resource("seed-000-lb-walkthrough.md"));
        List<String> commands = blockLines.stream().filter(SeedWalkthroughTest::isCommandLanguage).toList();
        // the other code-block lines: the topology diagram, shell commands (apt-get, java, redis-cli)
        // and vproxy's console-only "System call:" lines, covered by save below
        assertEquals(15, commands.size(), "command lines found: " + commands);

        Interpreter interpreter = new Interpreter();
        ExecResponse detail = null;
        for (String command : commands) {
            ExecResponse reply = interpreter.exec(command);
            if (command.startsWith("list-detail server in server-group ngx")) {
                detail = reply;
            } else {
                assertEquals(List.of("OK"), reply.getLinesList(), command);
            }
        }
        assertEquals(List.of(
                "backend1 -> connect-to 10.0.2.1:80 weight 10 currently UNKNOWN",
                "backend2 -> connect-to 10.0.2.2:80 weight 10 currently UNKNOWN",
                "backend3 -> connect-to 10.0.2.3:80 weight 10 currently UNKNOWN"), detail.getLinesList());
        assertEquals(ExecResponse.Kind.KIND_DETAIL, detail.getKind());

        // "System call: list config" / "save": the model renders as a script that rebuilds it
        ConfigModel model = interpreter.model();
        Interpreter replay = new Interpreter();
        replay.exec(String.join("\n", ScriptWriter.render(model.toProto())));
        assertEquals(model.toProto().toBuilder().clearVersion().build(),
                replay.model().toProto().toBuilder().clearVersion().build());
        assertEquals(List.of(
                "lb0 -> acceptor acceptor worker worker bind 10.0.0.10:80 backend backend-groups in-buffer-size 16384 "
                        + "out-buffer-size 16384 protocol tcp"),
                interpreter.exec("list-detail tcp-lb").getLinesList());
        assertEquals(List.of("ngx -> timeout 500 period 1000 up 2 down 3 protocol tcp method wrr event-loop-group worker "
                        + "annotations {}"), interpreter.exec("ll sg").getLinesList());
    }

    @Test
    void detailLinesUseTheHealthViewTheControlPlaneGives() throws IOException {
        List<String> commands = codeBlockLines(resource("seed-000-lb-walkthrough.md")).stream()
                .filter(SeedWalkthroughTest::isCommandLanguage).filter(c -> !c.startsWith("list")).toList();
        Interpreter setup = new Interpreter();
        setup.exec(String.join("\n", commands));
        ServerHealthView health = (group, server) -> server.equals("backend2") ? "PARTIAL (1/2 nodes UP)" : "UP";
        Interpreter interpreter = new Interpreter(setup.model(), health);
        assertEquals("backend2 -> connect-to 10.0.2.2:80 weight 10 currently PARTIAL (1/2 nodes UP)",
                interpreter.exec("list-detail server in server-group ngx").getLines(1));
    }
}
