package io.fulcrum.it;

import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.LineClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load against a draining node: HTTP keep-alive clients (a connection until the node says
 * {@code Connection: close}), HTTP clients with a connection per request, and TCP clients with a
 * connection per request, each sending as fast as answers come. Every request is classified:
 * answered; refused (the connect failed: nobody listens any more, another node would take it);
 * or failed. A failure of a request that started after {@link #markStop()} on a connection
 * opened after it is the kernel resetting a connection that was still queued when the listener
 * closed ("late"); every other failure is an in-flight request lost.
 */
final class DrainLoad implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong answeredAfterStop = new AtomicLong();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private volatile long stopAt = Long.MAX_VALUE;

    DrainLoad(InetSocketAddress http, InetSocketAddress tcp, int keepAlive, int shortHttp, int shortTcp) {
        for (int i = 0; i < keepAlive; i++) {
            start("ka-" + i, () -> keepAliveClient(http));
        }
        for (int i = 0; i < shortHttp; i++) {
            start("http-" + i, () -> shortHttpClient(http));
        }
        for (int i = 0; i < shortTcp; i++) {
            int index = i;
            start("tcp-" + i, () -> shortTcpClient(tcp, index));
        }
    }

    private void start(String name, Runnable client) {
        Thread thread = new Thread(client, "load-" + name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** The node is asked to stop now: connections opened from now on may be refused or reset. */
    void markStop() {
        stopAt = System.nanoTime();
    }

    /** Opens a client connection. */
    private interface Opener<C extends AutoCloseable> {
        C open() throws IOException;
    }

    /** Sends requests on a connection opened at {@code opened} (nanoTime). */
    private interface Requests<C> {
        void send(C connection, long opened) throws IOException;
    }

    /**
     * One client: a connection after the other until the load stops, each classified (a refused
     * connect, a failed request) as the class comment says.
     */
    private <C extends AutoCloseable> void client(String what, Opener<C> opener, Requests<C> requests) {
        while (running.get()) {
            long opened = System.nanoTime();
            C connection;
            try {
                connection = opener.open();
            } catch (IOException e) {
                refusedOrFailed(e, opened, what + " connect");
                continue;
            }
            try {
                requests.send(connection, opened);
            } catch (IOException e) {
                fail(opened, what + ": " + e);
            } finally {
                try {
                    connection.close();
                } catch (Exception e) {
                    fail(opened, what + " close: " + e);
                }
            }
        }
    }

    private void keepAliveClient(InetSocketAddress http) {
        client("keep-alive", () -> new HttpClientConnection(http), (connection, opened) -> {
            boolean open = true;
            while (open && running.get()) {
                HttpClientConnection.Response response = connection.get("a", "/ka");
                open = ok(response, opened, "keep-alive") && !"close".equals(response.header("connection"));
            }
        });
    }

    private void shortHttpClient(InetSocketAddress http) {
        client("short http", () -> new HttpClientConnection(http), (connection, opened) -> ok(connection.send(
                "GET /short HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").read(), opened, "short http"));
    }

    private void shortTcpClient(InetSocketAddress tcp, int index) {
        long[] n = {0};
        client("tcp", () -> new LineClient(tcp), (client, opened) -> {
            String line = "t" + index + "-" + n[0]++;
            String answer = client.ask(line);
            if (answer != null && answer.endsWith(" " + line)) {
                count(opened);
            } else {
                fail(opened, "tcp: answered " + answer + " to " + line);
            }
        });
    }

    private boolean ok(HttpClientConnection.Response response, long opened, String what) {
        if (response != null && response.status() == 200) {
            count(opened);
            return true;
        }
        fail(opened, what + ": " + (response == null ? "closed without an answer" : "status " + response.status()));
        return false;
    }

    private void count(long opened) {
        answered.incrementAndGet();
        if (System.nanoTime() - stopAt > 0) {
            answeredAfterStop.incrementAndGet();
        }
    }

    private void refusedOrFailed(IOException e, long opened, String what) {
        if (e instanceof ConnectException) {
            refused.incrementAndGet();
            pause();
        } else {
            fail(opened, what + ": " + e);
        }
    }

    /** After a refused connect: nobody listens; do not spin (a real client would go to another node). */
    private static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
    }

    private void fail(long opened, String what) {
        if (opened - stopAt > 0) {
            late.incrementAndGet();
            pause();
        } else {
            failures.add(what);
        }
    }

    long answered() {
        return answered.get();
    }

    long answeredAfterStop() {
        return answeredAfterStop.get();
    }

    long refused() {
        return refused.get();
    }

    long late() {
        return late.get();
    }

    /** Requests lost on connections opened before the stop. */
    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(15_000);
        }
    }
}
