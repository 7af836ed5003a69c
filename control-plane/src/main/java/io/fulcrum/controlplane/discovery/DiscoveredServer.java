package io.fulcrum.controlplane.discovery;

/**
 * One server a source answered with.
 *
 * @param name     stable across resolutions (see {@link ServerNames})
 * @param address  IP:PORT ({@code [IPv6]:PORT})
 * @param weight   0..1000
 * @param priority 0..65535: the lowest of a group serves, the others are backups
 */
record DiscoveredServer(String name, String address, int weight, int priority) {
}
