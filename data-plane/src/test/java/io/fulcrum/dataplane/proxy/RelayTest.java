package io.fulcrum.dataplane.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.testing.Descriptors;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.MemorySampler;
import io.fulcrum.dataplane.testing.Metrics;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.config.testing.Preconditions;
import io.fulcrum.dataplane.testing.Scripts;
import io.fulcrum.dataplane.testing.SocketServer;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a relayed connection does: bytes intact, FIN passed on, idle timeout, bounded buffering. */
@Timeout(60)
class RelayTest {
    private final DataPlane node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(2).build());
    private final int port = FreePorts.next();
    private SocketServer backend;

    @AfterEach
    void stop() throws IOException {
        node.close();
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void halfCloseIsPassedOnBothWays() throws Exception {
        // the backend reads until the client's FIN, then answers and closes
        backend = SocketServer.start(connection -> {
            long count = connection.getInputStream().transferTo(OutputStream.nullOutputStream());
            connection.getOutputStream().write(("got " + count + "\n").getBytes(StandardCharsets.UTF_8));
        });
        apply(backend.address(), 900_000, 16384);
        try (Socket client = connect()) {
            client.getOutputStream().write(new byte[100_000]);
            client.shutdownOutput();
            String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("got 100000\n", answer, "the answer arrives after the FIN, then EOF");
        }
        Poll.until(Duration.ofSeconds(5), () -> node.openConnections() == 0, "connection closed after both FINs");
    }

    @Test
    void aServerThatSendsItsFinFirstStillReceivesWhatTheClientSendsAfter() throws Exception {
        // the backend says hello, half-closes, then reads until the client's FIN
        CompletableFuture<Long> receivedByServer = new CompletableFuture<>();
        backend = SocketServer.start(connection -> {
            connection.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
            connection.shutdownOutput();
            receivedByServer.complete(connection.getInputStream().transferTo(OutputStream.nullOutputStream()));
        });
        apply(backend.address(), 900_000, 16384);
        try (Socket client = connect()) {
            assertEquals("hello\n", new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                    "the greeting, then the server's FIN");
            client.getOutputStream().write(new byte[100_000]);
            client.shutdownOutput();
            assertEquals(100_000L, receivedByServer.get(10, TimeUnit.SECONDS), "what the client sent after the server's FIN");
        }
        Poll.until(Duration.ofSeconds(5), () -> node.openConnections() == 0, "connection closed after both FINs");
    }

    @Test
    void bytesArriveIntactBothWays() throws Exception {
        backend = SocketServer.start(connection -> connection.getInputStream().transferTo(connection.getOutputStream()));
        apply(backend.address(), 900_000, 4096);
        byte[] payload = new byte[8 * 1024 * 1024];
        new Random(9).nextBytes(payload);
        try (Socket client = connect()) {
            CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> digestOf(client, payload.length));
            client.getOutputStream().write(payload);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(payload), echoed.get(30, TimeUnit.SECONDS));
            client.shutdownOutput();
            assertEquals(-1, client.getInputStream().read(), "the server's FIN, passed on");
        }
        Poll.until(Duration.ofSeconds(5), () -> Metrics.value(node.metrics(), "fulcrum_listener_bytes_total",
                "listener", "lb0", "direction", "out") == payload.length, "bytes out counted");
        assertEquals(payload.length, Metrics.value(node.metrics(), "fulcrum_listener_bytes_total", "direction", "in"));
    }

    @Test
    void anUploadToASlowServerIsSplicedAndArrivesIntact() throws Exception {
        int total = 16 << 20;
        CompletableFuture<Void> startReading = new CompletableFuture<>();
        CompletableFuture<Long> uploaded = new CompletableFuture<>();
        CompletableFuture<Void> mayClose = new CompletableFuture<>();
        backend = SocketServer.start(connection -> {
            await(startReading);
            CRC32C crc = new CRC32C();
            byte[] buffer = new byte[65536];
            InputStream in = connection.getInputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                crc.update(buffer, 0, n);
            }
            uploaded.complete(crc.getValue());
            await(mayClose);
        });
        apply(backend.address(), 900_000, 16384);
        byte[] payload = new byte[total];
        new Random(11).nextBytes(payload);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        long pipesBefore = Descriptors.pipes();
        try (Socket client = connect()) {
            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    for (int offset = 0; offset < total; offset += 65536) {
                        out.write(payload, offset, 65536);
                        written.addAndGet(65536);
                    }
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            // the server reads nothing at first: the client gets ahead, so the proxy's reads come back full
            Poll.untilUnchanged(Duration.ofSeconds(20), Duration.ofMillis(500), written::get, "the writer stops making progress");
            startReading.complete(null);
            assertEquals(crc.getValue(), uploaded.get(30, TimeUnit.SECONDS), "CRC32C of what the server received");
            sending.get(5, TimeUnit.SECONDS);
            if (Preconditions.available(Epoll.isAvailable(), "native epoll is not available here: splice not checked")) {
                // the client-to-server direction switched to splice, through a pipe open as long as the connection
                assertEquals(pipesBefore + 2, Descriptors.pipes(), "pipe ends open: the upload was not spliced");
                assertEquals(1, Metrics.value(node.metrics(), "fulcrum_listener_spliced_total", "direction", "in"));
            }
        } finally {
            mayClose.complete(null);
        }
    }

    /**
     * A server that refuses the connection (nothing listens on its port) fails the connect; the
     * socket of that attempt must be closed like any other, not left open in the loop.
     */
    @Test
    void aRefusedConnectLeavesNoSocketBehind() throws Exception {
        apply("127.0.0.1:" + FreePorts.next(), 10_000, 16384);
        long before = Descriptors.sockets();
        for (int i = 0; i < 20; i++) {
            try (Socket client = connect()) {
                // closed once every attempt failed
                assertEquals(-1, client.getInputStream().read());
            }
        }
        Poll.until(Duration.ofSeconds(5), () -> Descriptors.sockets() <= before,
                () -> "sockets open: " + Descriptors.sockets() + ", before the connections: " + before);
    }

    @Test
    void idleConnectionIsClosedAfterTheTimeout() throws Exception {
        backend = SocketServer.start(connection -> connection.getInputStream().transferTo(connection.getOutputStream()));
        apply(backend.address(), 300, 16384);
        try (Socket client = connect()) {
            client.getOutputStream().write('x');
            assertEquals('x', client.getInputStream().read());
            long start = System.nanoTime();
            client.setSoTimeout(5000);
            assertEquals(-1, client.getInputStream().read(), "closed by the proxy");
            long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(idleMs >= 250 && idleMs < 2000, "closed after " + idleMs + " ms");
        }
    }

    @Test
    void aGibibyteToASlowReaderArrivesIntactWithBoundedMemory() throws Exception {
        long total = 1L << 30;
        AtomicLong written = new AtomicLong();
        CompletableFuture<Long> sent = new CompletableFuture<>();
        backend = SocketServer.start(connection -> {
            connection.setSendBufferSize(64 * 1024);
            OutputStream out = connection.getOutputStream();
            CRC32C crc = new CRC32C();
            byte[] chunk = new byte[64 * 1024];
            new Random(7).nextBytes(chunk);
            for (long i = 0; written.get() < total; i++) {
                chunk[(int) (i % chunk.length)] ^= (byte) i; // no two chunks alike
                out.write(chunk);
                crc.update(chunk);
                written.addAndGet(chunk.length);
            }
            sent.complete(crc.getValue());
        });
        apply(backend.address(), 900_000, 16384);
        long pipesBefore = Descriptors.pipes();
        try (Socket client = new Socket(); MemorySampler memory = MemorySampler.start()) {
            client.setReceiveBufferSize(64 * 1024);
            client.setSoTimeout(10_000);
            client.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            // nothing is read at first: the server must be made to wait once the buffers on the way are full
            Poll.untilUnchanged(Duration.ofSeconds(20), Duration.ofMillis(500), written::get, "the writer stops making progress");
            // kernel socket buffers on the way (a few MB on loopback) plus the proxy's 2 × 16 KB
            assertTrue(written.get() < 32L * 1024 * 1024, "the proxy kept reading: " + written.get() + " bytes");

            // then a slow reader (4 KB at a time, a pause after each 64 KB) for the first 32 MB, then a fast one
            InputStream in = client.getInputStream();
            CRC32C crc = new CRC32C();
            byte[] buffer = new byte[65536];
            long received = 0;
            while (received < total) {
                boolean slow = received < 32L * 1024 * 1024;
                int n = in.read(buffer, 0, slow ? 4096 : buffer.length);
                assertTrue(n > 0, "stream ended early at " + received);
                crc.update(buffer, 0, n);
                received += n;
                if (slow && received % 65536 < n) {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
                }
            }
            assertEquals(total, received);
            assertEquals(sent.get(10, TimeUnit.SECONDS), crc.getValue(), "CRC32C of the 1 GiB the server sent");
            if (Preconditions.available(Epoll.isAvailable(), "native epoll is not available here: splice not checked")) {
                // a stream: the server-to-client direction switched to splice, through a pipe open as long as the connection
                assertEquals(pipesBefore + 2, Descriptors.pipes(), "pipe ends open: the transfer was not spliced");
                assertEquals(1, Metrics.value(node.metrics(), "fulcrum_listener_spliced_total", "direction", "out"));
                assertEquals(0, Metrics.value(node.metrics(), "fulcrum_listener_spliced_total", "direction", "in"));
            }
            // bounded: Netty's pooled direct memory is a few 4 MB chunks whatever the size of the transfer
            assertTrue(memory.peakDirect() < 64L * 1024 * 1024, "direct memory peaked at " + memory.peakDirect());
            assertTrue(memory.peakHeapGrowth() < 256L * 1024 * 1024, "heap grew by " + memory.peakHeapGrowth());
        }
    }

    @Test
    void whatAClientSendsBeforeTheServerIsConnectedIsHeldOnlyUpToTheBufferSize() throws Exception {
        long total = 64L * 1024 * 1024;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            // a full accept queue drops further SYNs: the proxy's connect waits for a retransmission
            List<SocketChannel> queued = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    SocketChannel filler = SocketChannel.open();
                    filler.configureBlocking(false);
                    filler.connect(server.getLocalSocketAddress());
                    queued.add(filler);
                }
                apply("127.0.0.1:" + server.getLocalPort(), 900_000, 16384, 20_000);
                AtomicLong written = new AtomicLong();
                try (Socket client = connect()) {
                    CompletableFuture.runAsync(() -> {
                        try {
                            OutputStream out = client.getOutputStream();
                            byte[] chunk = new byte[64 * 1024];
                            while (written.get() < total) {
                                out.write(chunk);
                                written.addAndGet(chunk.length);
                            }
                        } catch (IOException e) {
                            // the client is closed when the test ends
                        }
                    });
                    Poll.untilUnchanged(Duration.ofSeconds(20), Duration.ofMillis(500), written::get, "the writer stops making progress");
                    assertEquals(0.0, Metrics.value(node.metrics(), "fulcrum_server_connections_open"),
                            "the server must not be connected yet, or this test shows nothing");
                    // kernel socket buffers (a few MB on loopback) plus the in-buffer-size held by the proxy
                    assertTrue(written.get() < 32L * 1024 * 1024, "the proxy kept reading: " + written.get() + " bytes");
                }
            } finally {
                for (SocketChannel filler : queued) {
                    filler.close();
                }
            }
        }
    }

    /** Waits (on a backend thread) for the test to let it go on; interruptible, with a deadline. */
    private static void await(CompletableFuture<Void> signal) throws IOException {
        try {
            signal.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the test");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the test did not signal the backend", e);
        }
    }

    /** Waits until {@code counter} has not moved for half a second. */
    /** Protocol none: no health-check connection reaches the test backends. */
    private void apply(String backendAddress, int idleTimeoutMs, int bufferSize) {
        apply(backendAddress, idleTimeoutMs, bufferSize, 1000);
    }

    private void apply(String backendAddress, int idleTimeoutMs, int bufferSize, int connectTimeoutMs) {
        String script = """
                add server-group g timeout %d period 60000 up 1 down 1 protocol none
                add server b to server-group g address %s
                add upstream u
                add server-group g to upstream u
                add tcp-lb lb0 address 127.0.0.1:%d upstream u timeout %d in-buffer-size %d out-buffer-size %d
                """.formatted(connectTimeoutMs, backendAddress, port, idleTimeoutMs, bufferSize, bufferSize);
        ApplyResult result = node.apply(Scripts.config(script, 1));
        assertTrue(result.isApplied(), result::toString);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return socket;
    }

    private static byte[] digestOf(Socket client, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[65536];
            long received = 0;
            int n;
            while (received < length && (n = in.read(buffer, 0, (int) Math.min(buffer.length, length - received))) > 0) {
                digest.update(buffer, 0, n);
                received += n;
            }
            assertEquals(length, received);
            return digest.digest();
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
