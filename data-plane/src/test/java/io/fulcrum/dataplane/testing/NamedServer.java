package io.fulcrum.dataplane.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A backend for tests that says who it is: every line it reads is answered with
 * {@code NAME LINE}. A {@link SocketServer}: one daemon thread per connection, can be stopped
 * (closing every connection) and started again on the same port.
 */
public final class NamedServer implements AutoCloseable {
    private final String name;
    private final SocketServer server;

    private NamedServer(String name, InetAddress bind) {
        this.name = name;
        this.server = SocketServer.start(name, bind, this::serve);
    }

    /** Starts on a free port of 127.0.0.1. */
    public static NamedServer start(String name) {
        return start(name, InetAddress.getLoopbackAddress());
    }

    /** Starts on a free port of {@code bind} (0.0.0.0 to be reachable from other network namespaces). */
    public static NamedServer start(String name, InetAddress bind) {
        return new NamedServer(name, bind);
    }

    private void serve(Socket connection) throws IOException {
        connection.setTcpNoDelay(true);
        BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = connection.getOutputStream();
        String line;
        while ((line = in.readLine()) != null) {
            out.write((name + " " + line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** Listens again on the same port after {@link #stop()}. */
    public void start() {
        server.start();
    }

    /** Closes the listening socket and every open connection. */
    public void stop() {
        server.stop();
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.port();
    }

    /** 127.0.0.1:PORT, as a config names it. */
    public String address() {
        return server.address();
    }

    /** Connections accepted so far (health checks included). */
    public int accepted() {
        return server.accepted();
    }

    /** Connections open right now. */
    public int openConnections() {
        return server.openConnections();
    }

    @Override
    public void close() {
        server.close();
    }
}
