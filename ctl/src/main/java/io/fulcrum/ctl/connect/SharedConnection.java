package io.fulcrum.ctl.connect;

/**
 * A connection that several commands reuse (the shell's), with the options it was opened with, so
 * that a command giving its own connection options can be run with those in their place.
 */
public record SharedConnection(Connection connection, ConnectionOptions options) {
}
