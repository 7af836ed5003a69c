package io.fulcrum.it;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Binds a port without SO_REUSEPORT and holds it until killed, so that nothing else can listen
 * there: the honest per-node reason for a data plane to reject a config. Prints "held" once bound.
 */
public final class PortHolder {
    private PortHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("0.0.0.0", Integer.parseInt(args[0])));
            System.out.println("held");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
