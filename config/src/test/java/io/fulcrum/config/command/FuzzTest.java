package io.fulcrum.config.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.ConfigException;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.model.RandomConfigs;
import io.fulcrum.config.model.ScriptWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random token sequences and mutated valid commands: only {@link ConfigException} escapes, every
 * message is a non-empty line, a failed command or script leaves the model exactly as it was, and
 * whatever succeeds leaves a model that still validates.
 */
@Timeout(120)
class FuzzTest {
    private static final String[] VOCABULARY = {
        "add", "list", "ls", "list-detail", "ll", "update", "mod", "remove", "rm", "man", "help",
        "event-loop-group", "elg", "event-loop", "el", "server-group", "sg", "server", "svr", "upstream", "ups",
        "tcp-lb", "tl", "security-group", "secg", "security-group-rule", "secgr",
        "in", "to", "from", "address", "addr", "weight", "timeout", "period", "up", "down", "method", "meth",
        "protocol", "event-loop-group", "acceptor-elg", "aelg", "in-buffer-size", "out-buffer-size", "annotations",
        "anno", "default", "network", "net", "port-range", "security-group",
        "ngx", "backend1", "backend-groups", "lb0", "worker", "acceptor", "(worker-elg)", "(allow-all)", "(x)",
        "0", "-1", "1", "10", "65535", "65536", "2147483647", "2147483648", "99999999999999999999", "1e3", "0x10",
        "wrr", "wlc", "source", "rr", "tcp", "http", "none", "h2", "TCP", "UDP", "allow", "deny",
        "127.0.0.1:80", "10.0.0.1:0", "[::1]:80", "[::1]", "::1:80", "1.2.3.4.5:6", "host.example:8080", "-bad-:1",
        "10.0.0.0/8", "10.0.0.1/8", "::/0", "1.2.3.4/33", "22,22", "22,21", "0,1", "a,b", "1,2,3",
        "{}", "{\"a\":\"b\"}", "{\"a\":1}", "{\"fulcrum/hc-http-uri\":\"/x\"}", "{\"fulcrum/nope\":\"x\"}", "{", "}",
        "\"quoted\"", "\"", "\"\\u0000\"", "\"\\x\"", "[", "]", "#", ",", ":", "/", "*", "", " ", "\t", "µ", "✓",
        "\u0000", "\uffff", "\ud800", "NaN", "null", "true",
    };

    private final Random random = new Random(20261121);
    private int failures;
    private int successes;

    @Test
    void randomAndMutatedInputsNeverEscapeAsAnythingButConfigException() {
        ConfigModel base = richModel();
        List<String> valid = validCommands(base);
        Interpreter interpreter = new Interpreter(base, ServerHealthView.NONE);
        int inputs = 0;
        for (int i = 0; i < 50_000; i++, inputs++) {
            interpreter = run(interpreter, randomTokens(), base, i);
        }
        for (int i = 0; i < 50_000; i++, inputs++) {
            interpreter = run(interpreter, mutate(valid.get(random.nextInt(valid.size()))), base, i);
        }
        for (int i = 0; i < 5_000; i++, inputs++) {
            // a script whose last line is broken never applies its earlier lines
            String script = valid.get(random.nextInt(valid.size())) + "\n" + mutate(valid.get(random.nextInt(valid.size())));
            interpreter = run(interpreter, script, base, i);
        }
        assertTrue(inputs >= 100_000);
        assertTrue(failures > 50_000, "most random inputs fail: " + failures);
        assertTrue(successes > 1_000, "some mutated commands still work: " + successes);
    }

    private Interpreter run(Interpreter interpreter, String input, ConfigModel base, int i) {
        ConfigModel before = interpreter.model();
        try {
            interpreter.exec(input);
            successes++;
        } catch (ConfigException e) {
            failures++;
            String message = e.getMessage();
            assertFalse(message == null || message.isBlank(), "empty message for: " + input);
            assertFalse(message.contains("\n"), "a one-line message: " + message);
            assertSame(before, interpreter.model(), "model changed by failed input: " + input);
        } catch (RuntimeException | Error e) {
            throw new AssertionError("escaped for input " + visible(input), e);
        }
        if (i % 1000 == 0) {
            ConfigModel model = interpreter.model();
            assertEquals(model, ConfigModel.fromConfig(model.toProto()), "the model still validates");
            return new Interpreter(base, ServerHealthView.NONE);
        }
        return interpreter;
    }

    private static ConfigModel richModel() {
        Interpreter interpreter = new Interpreter();
        interpreter.exec(String.join("\n", new RandomConfigs(new Random(7)).script()));
        interpreter.exec(String.join("\n",
                "add event-loop-group worker", "add event-loop w1 to event-loop-group worker",
                "add server-group ngx timeout 500 period 1000 up 2 down 3 method wrr event-loop-group worker",
                "add server backend1 to server-group ngx address 10.0.2.1:80 weight 10",
                "add upstream backend-groups", "add server-group ngx to upstream backend-groups",
                "add security-group secg0 default allow",
                "add tcp-lb lb0 address 127.0.0.1:18080 upstream backend-groups event-loop-group worker"));
        return interpreter.model();
    }

    private static List<String> validCommands(ConfigModel model) {
        List<String> commands = new ArrayList<>(ScriptWriter.render(model.toProto()));
        for (CommandSpec spec : Grammar.specs()) {
            commands.add(spec.example());
        }
        commands.addAll(List.of("list-detail server in server-group ngx", "man", "man server add", "ll tl",
                "update tcp-lb lb0 timeout 5 security-group secg0", "remove server backend1 from server-group ngx",
                "remove tcp-lb lb0", "update server-group ngx in upstream backend-groups weight 0"));
        return commands;
    }

    private String randomTokens() {
        StringBuilder line = new StringBuilder();
        for (int n = random.nextInt(12); n >= 0; n--) {
            line.append(randomToken()).append(random.nextInt(8) == 0 ? "\t" : " ");
        }
        return line.toString();
    }

    private String randomToken() {
        if (random.nextInt(10) == 0) {
            StringBuilder junk = new StringBuilder();
            for (int n = random.nextInt(6); n >= 0; n--) {
                junk.append((char) random.nextInt(0x3000));
            }
            return junk.toString();
        }
        return VOCABULARY[random.nextInt(VOCABULARY.length)];
    }

    private String mutate(String command) {
        List<String> tokens = new ArrayList<>(List.of(command.split(" ")));
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            int at = tokens.isEmpty() ? 0 : random.nextInt(tokens.size());
            switch (random.nextInt(7)) {
                case 0 -> tokens.add(at, randomToken());
                case 1 -> {
                    if (!tokens.isEmpty()) {
                        tokens.remove(at);
                    }
                }
                case 2 -> {
                    if (!tokens.isEmpty()) {
                        tokens.set(at, randomToken());
                    }
                }
                case 3 -> {
                    if (tokens.size() > 1) {
                        java.util.Collections.swap(tokens, at, random.nextInt(tokens.size()));
                    }
                }
                case 4 -> {
                    if (!tokens.isEmpty()) {
                        String t = tokens.get(at);
                        tokens.set(at, t.isEmpty() ? t : t.substring(0, random.nextInt(t.length())));
                    }
                }
                case 5 -> {
                    if (!tokens.isEmpty()) {
                        tokens.add(at, tokens.get(at));
                    }
                }
                default -> tokens = new ArrayList<>(tokens.subList(0, at));
            }
        }
        return String.join(" ", tokens);
    }

    private static String visible(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.chars().forEach(c -> out.append(c < 32 || c > 126 ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.append('"').toString();
    }
}
