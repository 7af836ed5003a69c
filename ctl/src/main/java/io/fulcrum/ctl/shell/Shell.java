package io.fulcrum.ctl.shell;

import io.fulcrum.config.model.Target;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.ctl.cli.ExitCodes;
import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.SharedConnection;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import io.fulcrum.proto.v1.ListRequest;
import io.fulcrum.proto.v1.Resource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code fctl} with no arguments: a prompt that runs command-language lines and fctl commands,
 * with history (~/.fulcrum/fctl_history) and completion on a terminal; without a terminal it
 * reads lines from standard input. On a terminal, Ctrl-C stops the running line (a {@code watch},
 * a slow call) and returns to the prompt; at the prompt it clears the line; exit, quit or Ctrl-D
 * leave.
 */
public final class Shell {
    private static final String PROMPT = "fctl> ";

    /** Runs one fctl command line (get, status, watch, ...) over a context; returns its exit code. */
    @FunctionalInterface
    public interface Commands {
        int run(FctlContext context, String... args);
    }

    private final FctlContext context;
    private final SharedConnection shared;
    private final Commands commands;

    /**
     * @param shared   the connection every line uses unless it gives connection options of its own
     * @param commands how an fctl command line is run
     */
    public Shell(FctlContext context, SharedConnection shared, Commands commands) {
        this.context = context;
        this.shared = shared;
        this.commands = commands;
    }

    /** @return 0, or the exit code of the last failed line when reading a pipe */
    public int run() throws IOException {
        if (System.console() != null && context.in() == System.in) {
            return interactive();
        }
        BufferedReader input = new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8));
        int result = 0;
        for (String line = input.readLine(); line != null; line = input.readLine()) {
            int code = execute(line, context.out(), context.err());
            if (code < 0) {
                break;
            }
            result = code != 0 ? code : result;
        }
        return result;
    }

    private int interactive() throws IOException {
        Path history = context.home().resolve(".fulcrum").resolve("fctl_history");
        Files.createDirectories(history.getParent());
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("fctl")
                    .completer(new ShellCompleter(this::names)).variable(LineReader.HISTORY_FILE, history).build();
            PrintWriter out = terminal.writer();
            out.println("fctl shell: command-language lines (try: man), or get/apply/save/load/status/nodes/members/watch; "
                    + "exit to leave");
            while (true) {
                String line;
                try {
                    line = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    return 0;
                }
                if (interruptible(terminal, () -> execute(line, out, out)) < 0) {
                    return 0;
                }
            }
        }
    }

    /**
     * Runs {@code line} with Ctrl-C interrupting this thread instead of ending the JVM, so that a
     * watch or a slow call stops and the prompt comes back.
     */
    private static int interruptible(Terminal terminal, java.util.function.IntSupplier line) {
        Thread runner = Thread.currentThread();
        Terminal.SignalHandler previous = terminal.handle(Signal.INT, signal -> runner.interrupt());
        try {
            return line.getAsInt();
        } finally {
            terminal.handle(Signal.INT, previous);
            Thread.interrupted(); // a Ctrl-C that came after the line ended must not hit the next one
        }
    }

    /** Runs one line; -1 means leave the shell. */
    int execute(String line, PrintWriter out, PrintWriter err) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return 0;
        }
        if (text.equals("exit") || text.equals("quit")) {
            return -1;
        }
        String[] words = text.split("\\s+");
        if (Completions.SHELL_COMMANDS.contains(words[0]) || words[0].startsWith("-")) {
            return commands.run(context.with(out, err, shared), words);
        }
        try {
            String sent = io.fulcrum.config.command.CertKeyFiles.inline(text, java.nio.file.Path.of(""));
            ExecRequest request = ExecRequest.newBuilder().setText(sent).setRequestId(UUID.randomUUID().toString()).build();
            ExecResponse reply = shared.connection().call(stubs -> stubs.config().exec(request));
            reply.getLinesList().forEach(out::println);
            if (reply.getLinesCount() == 0) {
                out.println("(empty)");
            }
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            err.println("fctl: " + ExitCodes.message(e));
            err.flush();
            return ExitCodes.of(e);
        }
    }

    private List<String> names(Kind kind) {
        try {
            List<String> names = new ArrayList<>();
            for (Resource resource : shared.connection().call(stubs -> stubs.config().withDeadlineAfter(2, TimeUnit.SECONDS)
                    .list(ListRequest.newBuilder().setKind(kind.protoKind()).build())).getResourcesList()) {
                names.add(Target.of(resource).name());
            }
            return names;
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
