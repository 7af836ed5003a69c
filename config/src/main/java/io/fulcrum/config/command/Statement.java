package io.fulcrum.config.command;

/** One parsed line of the command language: a resource command or a help request. */
public sealed interface Statement permits Command, HelpRequest {
    /** The line as it was given. */
    String text();
}
