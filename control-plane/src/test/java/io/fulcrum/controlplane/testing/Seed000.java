package io.fulcrum.controlplane.testing;

import java.util.List;

/**
 * The commands of the vproxy walkthrough Fulcrum started from (seed 000), in order, with the
 * backend and listener addresses moved to the given loopback ones.
 */
public final class Seed000 {
    private Seed000() {
    }

    public static List<String> commands(List<String> backends, String listener) {
        return List.of(
                "add event-loop-group acceptor",
                "add event-loop-group worker",
                "add event-loop acceptor1 to event-loop-group acceptor",
                "add event-loop worker1 to event-loop-group worker",
                "add event-loop worker2 to event-loop-group worker",
                "add event-loop worker3 to event-loop-group worker",
                "add event-loop worker4 to event-loop-group worker",
                "add server-group ngx timeout 500 period 1000 up 2 down 3 method wrr event-loop-group worker",
                "add server backend1 to server-group ngx address " + backends.get(0) + " weight 10",
                "add server backend2 to server-group ngx address " + backends.get(1) + " weight 10",
                "add server backend3 to server-group ngx address " + backends.get(2) + " weight 10",
                "list-detail server in server-group ngx",
                "add upstream backend-groups",
                "add server-group ngx to upstream backend-groups",
                "add tcp-lb lb0 acceptor-elg acceptor event-loop-group worker address " + listener
                        + " upstream backend-groups in-buffer-size 16384 out-buffer-size 16384");
    }

    /** With placeholder loopback addresses (for tests that do not carry traffic). */
    public static List<String> commands() {
        return commands(List.of("127.0.0.1:20081", "127.0.0.1:20082", "127.0.0.1:20083"), "127.0.0.10:20080");
    }
}
