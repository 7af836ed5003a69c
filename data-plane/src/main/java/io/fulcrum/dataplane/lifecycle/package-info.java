/**
 * A data plane's life beyond one process: {@code LastGoodStore} keeps the last applied config in
 * the node's state directory ({@code StateDirectory}) so that a node restarted while no control
 * plane answers serves it at once (fail static across restarts, docs/data-plane.md "Last-good
 * config"); {@code LastGoodFile} is the file's format and {@code LastGoodWriter} writes off the
 * sync thread. It depends on the runtime's inputs only (the {@code fulcrum.v1.Config} proto and
 * the metrics registry), never on {@code io.fulcrum.dataplane} or {@code sync}: the launcher
 * wires it to both.
 */
package io.fulcrum.dataplane.lifecycle;
