package io.fulcrum.ctl.command;

import io.fulcrum.config.command.CommandException;
import io.fulcrum.config.command.Script;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import java.io.PrintWriter;
import java.util.List;
import java.util.UUID;

/** Runs command-language text on the cluster and prints the reply as vproxy does. */
final class Lines {
    private Lines() {
    }

    /**
     * Sends {@code text} (one command, or a script applied as one batch) and prints the reply; a
     * change also prints the new config version on {@code err}.
     *
     * @throws CommandException before anything is sent when the text does not parse (exit code 2)
     */
    static ExecResponse exec(Connection cluster, String text, PrintWriter out, PrintWriter err) {
        // cert-key files are read here, on the operator's machine: the command carries their PEM
        text = io.fulcrum.config.command.CertKeyFiles.inline(text, java.nio.file.Path.of(""));
        Script.parse(text); // a line fctl cannot parse is a usage error, the server would say the same
        // the same request id on every attempt: a retry on another server is applied once
        ExecRequest request = ExecRequest.newBuilder().setText(text).setRequestId(UUID.randomUUID().toString()).build();
        ExecResponse reply = cluster.call(stubs -> stubs.config().exec(request));
        if (reply.getLinesCount() == 0) {
            err.println("(empty)");
        }
        reply.getLinesList().forEach(out::println);
        out.flush();
        if (reply.getKind() == ExecResponse.Kind.KIND_OK) {
            err.println("version " + reply.getVersion());
            err.flush();
        }
        return reply;
    }

    /** Words from the shell joined into one line; a word holding spaces stays one token. */
    static String join(List<String> words) {
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            if (line.length() > 0) {
                line.append(' ');
            }
            boolean needsQuotes = word.chars().anyMatch(Character::isWhitespace) && !word.startsWith("{") && !word.startsWith("\"");
            line.append(needsQuotes ? '"' + word.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : word);
        }
        return line.toString();
    }
}
