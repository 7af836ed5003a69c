package io.fulcrum.dataplane.testing;

import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import java.net.InetSocketAddress;

/**
 * The fixture of most HTTP tests: a data plane with one {@code protocol http} listener on a free
 * loopback port in front of one backend (health checks off).
 */
public final class HttpLoadBalancer implements AutoCloseable {
    private final DataPlane node;
    private final InetSocketAddress address;

    private HttpLoadBalancer(DataPlane node, InetSocketAddress address) {
        this.node = node;
        this.address = address;
    }

    /** One worker loop. */
    public static HttpLoadBalancer start(HttpBackend backend) {
        return start(backend, DataPlaneOptions.builder("dp1").workerLoops(1).build());
    }

    public static HttpLoadBalancer start(HttpBackend backend, DataPlaneOptions options) {
        return start(backend.address(), options);
    }

    /** In front of any server at {@code backendAddress} (127.0.0.1:PORT), one worker loop. */
    public static HttpLoadBalancer start(String backendAddress) {
        return start(backendAddress, DataPlaneOptions.builder("dp1").workerLoops(1).build());
    }

    public static HttpLoadBalancer start(String backendAddress, DataPlaneOptions options) {
        int port = FreePorts.next();
        DataPlane node = DataPlane.start(options);
        String script = """
                add server-group g timeout 500 period 1000 up 1 down 2 protocol none
                add server b1 to server-group g address %s
                add upstream u
                add server-group g to upstream u
                add tcp-lb lb0 address 127.0.0.1:%d upstream u protocol http
                """.formatted(backendAddress, port);
        ApplyResult result = node.apply(Scripts.config(script, 1));
        if (!result.isApplied()) {
            node.close();
            throw new IllegalStateException("the test config does not apply: " + result);
        }
        return new HttpLoadBalancer(node, new InetSocketAddress("127.0.0.1", port));
    }

    public DataPlane node() {
        return node;
    }

    /** Where clients connect. */
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        node.close();
    }
}
