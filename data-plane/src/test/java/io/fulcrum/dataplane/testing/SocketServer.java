package io.fulcrum.dataplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A backend for tests that runs {@code handler} on each connection, one daemon thread each. */
public final class SocketServer implements AutoCloseable {
    /** What the backend does with one connection; the socket is closed afterwards. */
    @FunctionalInterface
    public interface Handler {
        void serve(Socket connection) throws IOException;
    }

    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private SocketServer(ServerSocket server, Handler handler) {
        this.server = server;
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket connection = server.accept();
                    open.add(connection);
                    Thread worker = new Thread(() -> run(handler, connection), "test-backend-conn");
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-backend-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static SocketServer start(Handler handler) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new SocketServer(server, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run(Handler handler, Socket connection) {
        try (connection) {
            handler.serve(connection);
        } catch (IOException e) {
            // the peer went away
        } finally {
            open.remove(connection);
        }
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
