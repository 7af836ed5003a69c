package io.fulcrum.config.command;

import io.fulcrum.config.model.ValidationException;
import io.fulcrum.proto.v1.Batch;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-language text: one command, or a script of one command a line ({@code #} starts a
 * comment line, blank lines are ignored). A script of changes becomes one atomic {@link Batch};
 * a query or help request runs on its own.
 */
public final class Script {
    /** A statement with its 1-based line number. */
    public record Line(int number, Statement statement) {
    }

    private final List<Line> lines;

    private Script(List<Line> lines) {
        this.lines = lines;
    }

    /**
     * @throws CommandException for the first line that does not parse, prefixed "line N: " in a
     *                          script of several lines
     */
    public static Script parse(String text) {
        String[] raw = text.split("\r?\n", -1);
        List<Line> lines = new ArrayList<>();
        boolean several = java.util.Arrays.stream(raw).filter(Script::isCommand).count() > 1;
        for (int i = 0; i < raw.length; i++) {
            if (!isCommand(raw[i])) {
                continue;
            }
            try {
                lines.add(new Line(i + 1, CommandParser.parse(raw[i].strip())));
            } catch (CommandException e) {
                throw several ? new CommandException("line " + (i + 1) + ": " + e.getMessage()) : e;
            }
        }
        if (lines.isEmpty()) {
            throw new CommandException("empty command; try: man");
        }
        return new Script(lines);
    }

    private static boolean isCommand(String line) {
        String stripped = line.strip();
        return !stripped.isEmpty() && !stripped.startsWith("#");
    }

    public List<Line> lines() {
        return lines;
    }

    /** The statement of a one-line script that asks something (list, list-detail, man); else null. */
    public Statement question() {
        if (lines.size() != 1) {
            return null;
        }
        Statement only = lines.get(0).statement();
        return only instanceof HelpRequest || (only instanceof Command c && c.isQuery()) ? only : null;
    }

    /**
     * The changes of this script as one batch (expected version, request id and comment unset).
     *
     * @throws CommandException if a line is a query (queries run one at a time) or a value does
     *                          not convert
     */
    public Batch toBatch() {
        Batch.Builder batch = Batch.newBuilder();
        for (Line line : lines) {
            if (!(line.statement() instanceof Command command) || command.isQuery()) {
                throw new CommandException(prefix(line) + line.statement().text().strip()
                        + ": a script of several commands holds changes only; "
                        + "run list, list-detail and man on their own");
            }
            try {
                batch.addMutations(command.toMutation());
            } catch (CommandException e) {
                throw new CommandException(prefix(line) + e.getMessage());
            }
        }
        return batch.build();
    }

    /** The model's error for a batch of this script, with the line of the mutation that failed. */
    public ValidationException locate(ValidationException error) {
        int index = error.mutationIndex();
        if (lines.size() < 2 || index < 0 || index >= lines.size()) {
            return error;
        }
        return new ValidationException(error.reason(), "line " + lines.get(index).number() + ": " + error.getMessage());
    }

    private String prefix(Line line) {
        return lines.size() > 1 ? "line " + line.number() + ": " : "";
    }
}
