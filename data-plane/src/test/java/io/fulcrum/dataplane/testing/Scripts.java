package io.fulcrum.dataplane.testing;

import io.fulcrum.dataplane.ConfigScript;
import io.fulcrum.proto.v1.Config;
import java.util.List;

/** Configs for tests, written in the command language. */
public final class Scripts {
    private Scripts() {
    }

    public static Config config(String script, long version) {
        return ConfigScript.parse("test script", script, version);
    }

    /**
     * The seed-000 walkthrough topology on loopback: an acceptor group with one loop, a worker
     * group with four, server group ngx (wrr, tcp checks), upstream backend-groups, tcp-lb lb0.
     */
    public static String seed(int port, List<NamedServer> servers, int... weights) {
        StringBuilder script = new StringBuilder("""
                add event-loop-group acceptor
                add event-loop-group worker
                add event-loop acceptor1 to event-loop-group acceptor
                add event-loop worker1 to event-loop-group worker
                add event-loop worker2 to event-loop-group worker
                add event-loop worker3 to event-loop-group worker
                add event-loop worker4 to event-loop-group worker
                add server-group ngx timeout 500 period 1000 up 2 down 3 method wrr event-loop-group worker
                """);
        for (int i = 0; i < servers.size(); i++) {
            script.append("add server ").append(servers.get(i).name()).append(" to server-group ngx address ")
                    .append(servers.get(i).address()).append(" weight ").append(weights[i]).append('\n');
        }
        script.append("""
                add upstream backend-groups
                add server-group ngx to upstream backend-groups
                add tcp-lb lb0 acceptor-elg acceptor event-loop-group worker address 127.0.0.1:%d \
                upstream backend-groups in-buffer-size 16384 out-buffer-size 16384
                """.formatted(port));
        return script.toString();
    }
}
