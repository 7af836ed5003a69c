package io.fulcrum.config.command;

import java.util.List;

/** {@code man [ACTION|TYPE]...} or {@code help ...}: what the user asked help about. */
public record HelpRequest(String text, List<String> topics) implements Statement {
}
