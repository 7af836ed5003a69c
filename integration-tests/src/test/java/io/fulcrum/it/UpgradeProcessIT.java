package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.testing.Preconditions;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.dataplane.testing.SocketServer;
import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.NodesRequest;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade drops no connection (docs/operations.md, "Upgrade"): a data plane following a real
 * control plane is replaced ten times in a row by a new process started with --takeover, while 56
 * clients keep it busy on a TCP and an HTTP listener with keep-alive and short connections, and
 * a slowly read download runs across several upgrades.
 */
@Timeout(420)
class UpgradeProcessIT {
    private static final int UPGRADES = 10;
    private static final int DOWNLOAD_BYTES = 24 << 20;
    private static final long DOWNLOAD_SEED = 42;
    private final Resources resources = new Resources();

    @AfterEach
    void stop() throws Exception {
        resources.close();
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        return resources.add(closeable);
    }

    @Test
    void tenUpgradesUnderLoadFailNoRequestAndCutNoDownload(@TempDir Path dir) throws Exception {
        Preconditions.require(Epoll.isAvailable(), "native epoll is not available here (a takeover needs it)");
        NamedServer tcpBackend = closing(NamedServer.start("tcp1"));
        HttpBackend httpBackend = closing(HttpBackend.start("http1"));
        SocketServer bulk = closing(SocketServer.start("bulk", InetAddress.getLoopbackAddress(), UpgradeProcessIT::download));
        ProcessCluster cluster = closing(ProcessCluster.start(dir, 1));
        DataPlaneProcess node = DataPlaneProcess.start("dp1", dir, cluster.apis(), cluster.tokens().file(), null,
                List.of("--drain-timeout", "60s"));
        List<DataPlaneProcess> processes = new ArrayList<>(List.of(node));
        closing(() -> processes.forEach(DataPlaneProcess::close));
        int tcpPort = Ports.free();
        int httpPort = Ports.free();
        int bulkPort = Ports.free();
        long version = cluster.clients().exec(cluster.api("cp1"), cluster.tokens().operator(), String.join("\n",
                "add server-group t timeout 500 period 1000 up 1 down 3",
                "add server t1 to server-group t address " + tcpBackend.address(),
                "add upstream tu", "add server-group t to upstream tu",
                "add tcp-lb tcp address 127.0.0.1:" + tcpPort + " upstream tu",
                "add server-group h timeout 500 period 1000 up 1 down 3",
                "add server h1 to server-group h address " + httpBackend.address(),
                "add upstream hu", "add server-group h to upstream hu",
                "add tcp-lb http address 127.0.0.1:" + httpPort + " upstream hu protocol http",
                "add server-group b timeout 500 period 1000 up 1 down 3",
                "add server b1 to server-group b address " + bulk.address(),
                "add upstream bu", "add server-group b to upstream bu",
                "add tcp-lb bulk address 127.0.0.1:" + bulkPort + " upstream bu")).getVersion();
        cluster.awaitSynced(node, version);

        // 56 clients: HTTP keep-alive, HTTP and TCP with a connection per request (DrainLoad), TCP
        // keep-alive with ten requests a connection (Traffic)
        InetSocketAddress tcp = new InetSocketAddress("127.0.0.1", tcpPort);
        DrainLoad load = closing(new DrainLoad(new InetSocketAddress("127.0.0.1", httpPort), tcp, 16, 16, 12));
        Traffic tcpKeepAlive = closing(new Traffic(List.of(tcp), 12));
        java.util.function.LongSupplier ok = () -> load.answered() + tcpKeepAlive.requests();
        Poll.until(Duration.ofSeconds(30), "the load runs", () -> ok.getAsLong() > 300);
        CompletableFuture<byte[]> download = CompletableFuture.supplyAsync(
                () -> fetch(new InetSocketAddress("127.0.0.1", bulkPort)));
        Poll.until(Duration.ofSeconds(10), "the download started", () -> bulk.accepted() > 0);

        List<Long> handoverMillis = new ArrayList<>();
        for (int i = 0; i < UPGRADES; i++) {
            DataPlaneProcess old = processes.get(processes.size() - 1);
            long started = System.nanoTime();
            DataPlaneProcess next = old.takeOver();
            processes.add(next);
            int upgrade = i + 1;
            Poll.until(Duration.ofSeconds(60), () -> next.logTail().contains("took over from pid " + old.pid()),
                    () -> "upgrade " + upgrade + ": " + old.logTail() + "\n---\n" + next.logTail());
            handoverMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            long okBefore = ok.getAsLong();
            Poll.until(Duration.ofSeconds(20), "traffic through the new process", () -> ok.getAsLong() > okBefore + 200);
        }
        byte[] downloaded = download.get(120, TimeUnit.SECONDS);
        load.close();
        tcpKeepAlive.close();

        assertEquals(List.of(), load.failures(), "requests failed during " + UPGRADES + " upgrades (" + ok.getAsLong() + " ok)");
        assertEquals(List.of(), tcpKeepAlive.failures(), "TCP keep-alive requests failed");
        assertEquals(0, load.refused() + load.late(), "connections refused or reset");
        assertEquals(DOWNLOAD_BYTES, downloaded.length, "the download ran across upgrades and was cut");
        assertArrayEquals(sha256(expected()), sha256(downloaded), "the download is byte-exact");
        for (DataPlaneProcess old : processes.subList(0, processes.size() - 1)) {
            assertEquals(0, old.awaitExit(Duration.ofSeconds(90)), "a replaced process drains and exits 0: " + old.logTail());
        }
        DataPlaneProcess last = processes.get(processes.size() - 1);
        cluster.awaitSynced(last, version);
        List<DataPlaneNode> listed = cluster.clients().cluster(cluster.api("cp1"), cluster.tokens().viewer())
                .nodes(NodesRequest.getDefaultInstance()).getNodesList();
        assertEquals(1, listed.size(), "one node, whichever process serves it: " + listed);
        System.out.println("upgrade: " + UPGRADES + " takeovers, " + ok.getAsLong() + " requests ok, 0 failed, start-to-"
                + "takeover ms " + handoverMillis);
    }

    /**
     * bin/fulcrum upgrade (systemd's ExecReload) returns 0 once the new process serves and wrote
     * the pid file, and 1 when the new process cannot take over, leaving the old one serving.
     */
    @Test
    void theUpgradeCommandReturnsOnceTheNewProcessServes(@TempDir Path dir) throws Exception {
        Preconditions.require(Epoll.isAvailable(), "native epoll is not available here (a takeover needs it)");
        NamedServer backend = closing(NamedServer.start("tcp1"));
        int port = Ports.free();
        Path config = dir.resolve("lb.conf");
        java.nio.file.Files.writeString(config, String.join("\n", "add server-group t timeout 500 period 1000 up 1 down 3",
                "add server t1 to server-group t address " + backend.address(), "add upstream tu",
                "add server-group t to upstream tu", "add tcp-lb tcp address 127.0.0.1:" + port + " upstream tu", ""));
        Path pidFile = dir.resolve("dp.pid");
        List<String> flags = List.of("--id", "dp1", "--config", config.toString(), "--state-dir", dir.resolve("state").toString(),
                "--pid-file", pidFile.toString(), "--worker-loops", "1");
        Process first = Launcher.start("data-plane", "io.fulcrum.dataplane.DataPlaneMain", flags, dir.resolve("dp1.log"));
        closing(first::destroyForcibly);
        Poll.until(Duration.ofSeconds(30), "the first process serves", () -> pidOf(pidFile) == first.pid());
        InetSocketAddress lb = new InetSocketAddress("127.0.0.1", port);
        assertEquals("tcp1", LineClient.whoAnswers(lb));

        Process upgrade = fulcrum(dir, "upgrade", flags);
        assertTrue(upgrade.waitFor(90, TimeUnit.SECONDS) && upgrade.exitValue() == 0, "bin/fulcrum upgrade: exit "
                + (upgrade.isAlive() ? "none" : upgrade.exitValue()) + "\n" + java.nio.file.Files.readString(dir.resolve("upgrade.log")));
        long second = pidOf(pidFile);
        closing(() -> ProcessHandle.of(second).ifPresent(ProcessHandle::destroyForcibly));
        assertTrue(second != first.pid() && ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false),
                "the pid file names the new process");
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the old process exits");
        assertEquals(0, first.exitValue());
        assertEquals("tcp1", LineClient.whoAnswers(lb));

        List<String> broken = new ArrayList<>(flags);
        broken.set(broken.indexOf("--config") + 1, dir.resolve("missing.conf").toString());
        Process failed = fulcrum(dir, "upgrade", broken);
        assertTrue(failed.waitFor(90, TimeUnit.SECONDS), "bin/fulcrum upgrade returns");
        assertEquals(1, failed.exitValue(), java.nio.file.Files.readString(dir.resolve("upgrade.log")));
        assertEquals(second, pidOf(pidFile), "the running process keeps serving");
        assertEquals("tcp1", LineClient.whoAnswers(lb));
    }

    private static long pidOf(Path pidFile) {
        try {
            return Long.parseLong(java.nio.file.Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** bin/fulcrum COMMAND ARGS, its output in dir/COMMAND.log. */
    private static Process fulcrum(Path dir, String command, List<String> args) throws IOException {
        List<String> line = new ArrayList<>(List.of(Launcher.root().resolve("bin/fulcrum").toString(), command));
        line.addAll(args);
        return new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(dir.resolve(command + ".log").toFile()).start();
    }

    /** The bulk backend: DOWNLOAD_BYTES of seeded random bytes, then close. */
    private static void download(Socket socket) throws IOException {
        Random random = new Random(DOWNLOAD_SEED);
        byte[] chunk = new byte[64 * 1024];
        OutputStream out = socket.getOutputStream();
        for (int sent = 0; sent < DOWNLOAD_BYTES; sent += chunk.length) {
            random.nextBytes(chunk);
            out.write(chunk);
        }
        out.flush();
        socket.close();
    }

    private static byte[] expected() {
        Random random = new Random(DOWNLOAD_SEED);
        byte[] all = new byte[DOWNLOAD_BYTES];
        byte[] chunk = new byte[64 * 1024];
        for (int at = 0; at < DOWNLOAD_BYTES; at += chunk.length) {
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, all, at, chunk.length);
        }
        return all;
    }

    /**
     * Reads the download slowly (about 3 MB/s, paced by the reader as a slow client would be) so
     * that it spans several upgrades.
     */
    private static byte[] fetch(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(30_000);
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(address, 5000);
            InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream(DOWNLOAD_BYTES);
            byte[] buffer = new byte[32 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // pacing a slow reader, not waiting
            }
            return all.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
