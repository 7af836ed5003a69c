/**
 * Discovery: server groups whose servers follow DNS (SRV records or a host name's addresses).
 *
 * <p>Runs on the Raft leader only ({@link io.fulcrum.controlplane.discovery.Discovery} checks
 * leadership on every tick): it resolves each discovered group every interval and commits every
 * change of the resolved set as an ordinary batch of the {@code (discovery)} principal, so all
 * data planes see the same servers at the same version. The sources' state (last success, last
 * error, holding) is the leader's own and starts again on a new leader.
 *
 * <p>Uses the config model and netty's DNS resolver; it commits through a function it is given
 * and never imports the api or raft packages.
 */
package io.fulcrum.controlplane.discovery;
