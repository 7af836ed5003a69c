package io.fulcrum.dataplane.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend for tests that says who it is: every line it reads is answered with
 * {@code NAME LINE}. Plain blocking sockets, one daemon thread per connection. Can be stopped
 * (closing every connection) and started again on the same port.
 */
public final class NamedServer implements AutoCloseable {
    private final String name;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile ServerSocket server;

    private final InetAddress bind;

    private NamedServer(String name, InetAddress bind, int port) {
        this.name = name;
        this.bind = bind;
        this.port = port;
    }

    /** Starts on a free port of 127.0.0.1. */
    public static NamedServer start(String name) {
        return start(name, InetAddress.getLoopbackAddress());
    }

    /** Starts on a free port of {@code bind} (0.0.0.0 to be reachable from other network namespaces). */
    public static NamedServer start(String name, InetAddress bind) {
        NamedServer server = new NamedServer(name, bind, FreePorts.next());
        server.start();
        return server;
    }

    public synchronized void start() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bind, port), 512);
            server = socket;
            Thread acceptor = new Thread(() -> acceptLoop(socket), name + "-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the listening socket and every open connection. */
    public synchronized void stop() {
        ServerSocket socket = server;
        server = null;
        closeQuietly(socket);
        for (Socket connection : open) {
            closeQuietly(connection);
        }
        open.clear();
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                if (socket.isClosed()) {
                    // accepted while stop() was closing the socket: a stopped server takes nothing
                    connection.close();
                    return;
                }
                accepted.incrementAndGet();
                open.add(connection);
                Thread worker = new Thread(() -> serve(connection), name + "-conn");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setTcpNoDelay(true);
            BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = connection.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                out.write((name + " " + line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the client or stop() closed the connection
        } finally {
            open.remove(connection);
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** 127.0.0.1:PORT, as a config names it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** Connections accepted so far (health checks included). */
    public int accepted() {
        return accepted.get();
    }

    /** Connections open right now. */
    public int openConnections() {
        return open.size();
    }

    @Override
    public void close() {
        stop();
    }
}
