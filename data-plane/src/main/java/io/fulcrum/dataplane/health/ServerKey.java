package io.fulcrum.dataplane.health;

/**
 * Identifies a server across config versions: a server that keeps its group, name and address
 * keeps its health state and counters when a new config is applied.
 *
 * @param address as configured (HOST:PORT)
 */
public record ServerKey(String group, String server, String address) {
    @Override
    public String toString() {
        return group + "/" + server + " (" + address + ")";
    }
}
