package io.fulcrum.dataplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend for tests that runs {@code handler} on each connection, one daemon thread each, on
 * plain blocking sockets. It counts what it accepted, can be stopped (closing every connection)
 * and started again on the same port. {@link NamedServer} and {@link HttpBackend} are built on it.
 */
public final class SocketServer implements AutoCloseable {
    /** What the backend does with one connection; the socket is closed afterwards. */
    @FunctionalInterface
    public interface Handler {
        void serve(Socket connection) throws IOException;
    }

    private final String name;
    private final InetAddress bind;
    private final int port;
    private final Handler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile ServerSocket server;

    private SocketServer(String name, InetAddress bind, int port, Handler handler) {
        this.name = name;
        this.bind = bind;
        this.port = port;
        this.handler = handler;
    }

    /** Starts on a free port of 127.0.0.1. */
    public static SocketServer start(Handler handler) {
        return start("test-backend", InetAddress.getLoopbackAddress(), handler);
    }

    /** Starts on a free port of {@code bind}; {@code name} names its threads. */
    public static SocketServer start(String name, InetAddress bind, Handler handler) {
        SocketServer server = new SocketServer(name, bind, FreePorts.next(), handler);
        server.start();
        return server;
    }

    /** Listens again (on the same port) after {@link #stop()}. */
    public synchronized void start() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bind, port), 1024);
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
        open.forEach(SocketServer::closeQuietly);
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
                Thread worker = new Thread(() -> run(connection), name + "-conn");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void run(Socket connection) {
        try (connection) {
            handler.serve(connection);
        } catch (IOException e) {
            // the peer went away, or stop() closed the socket
        } finally {
            open.remove(connection);
        }
    }

    public int port() {
        return port;
    }

    /** 127.0.0.1:PORT, as a config names it (also when bound to every address). */
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

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }
}
