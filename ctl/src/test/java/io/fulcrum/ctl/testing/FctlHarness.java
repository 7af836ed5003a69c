package io.fulcrum.ctl.testing;

import io.fulcrum.ctl.Fctl;
import io.fulcrum.ctl.cli.FctlContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs fctl in-process, as a user would from a shell in {@code dir} with {@code env}, and captures what it prints. */
public final class FctlHarness {
    /** What one fctl run returned and printed. */
    public record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path dir;
    private final Map<String, String> env;

    public FctlHarness(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = Map.copyOf(env);
    }

    public Result run(String... args) {
        return runWithInput("", args);
    }

    /** Runs fctl with {@code input} on its standard input (the shell reads it line by line). */
    public Result runWithInput(String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        FctlContext context = new FctlContext(new PrintWriter(out, true), new PrintWriter(err, true),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), env, dir, dir.resolve("home"), null);
        int code = new Fctl(context).run(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** HOST:PORT on 127.0.0.1 where nothing listens (bound once, then closed: connections are refused). */
    public static String deadAddress() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }
}
