package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.dataplane.testing.NamedServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fail static across restarts (docs/data-plane.md, "Last-good config"): a data plane restarted
 * while its control plane is down serves the config it had from its state directory, then
 * follows the control plane again when it is back, its versions never going backwards.
 */
@Timeout(240)
class ColdStartProcessIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final Resources resources = new Resources();

    @AfterEach
    void stop() throws Exception {
        resources.close();
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        return resources.add(closeable);
    }

    @Test
    void aDataPlaneRestartedWithoutItsControlPlaneServesItsLastGoodConfigAtOnce(@TempDir Path dir) throws Exception {
        NamedServer backend = closing(NamedServer.start("backend1"));
        ProcessCluster cluster = closing(ProcessCluster.start(dir, 1));
        DataPlaneProcess first = closing(DataPlaneProcess.start("dp1", dir, cluster.apis(), cluster.tokens().file(), null));
        int port = Ports.free();
        InetSocketAddress listener = new InetSocketAddress("127.0.0.1", port);
        long version = cluster.clients().exec(cluster.api("cp1"), cluster.tokens().operator(), String.join("\n",
                "add server-group g timeout 500 period 1000 up 2 down 3",
                "add server b1 to server-group g address " + backend.address(),
                "add upstream u", "add server-group g to upstream u",
                "add tcp-lb lb address 127.0.0.1:" + port + " upstream u")).getVersion();
        cluster.awaitSynced(first, version);
        Poll.until(WAIT, "version " + version + " saved", () -> first.metric("fulcrum_lastgood_saved_version", "") == version);
        assertTrue(Files.exists(dir.resolve("dp1-state").resolve("lastgood.pb")));

        cluster.kill("cp1");
        first.kill();
        long restarted = System.nanoTime();
        DataPlaneProcess second = closing(first.restart());
        Poll.until(Duration.ofSeconds(10), "the restarted node answers on its listener", () -> answers(listener, "first"));
        long firstAnswerMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);

        int answered = requestsAnswered(listener, 40, Duration.ofMillis(250));
        String ready = second.admin("/ready");
        assertTrue(ready.startsWith("200 ready") && ready.contains("serving last-good config version " + version
                + " from disk") && ready.contains("no control plane reached yet"), ready);
        assertEquals(version, second.metric("fulcrum_lastgood_loaded_version", ""));
        System.out.printf("cold start without a control plane: first answer %d ms after the restart, %d of 40 requests "
                + "answered over 10 s%n", firstAnswerMillis, answered);
        assertTrue(firstAnswerMillis < 2000, "first answer after " + firstAnswerMillis + " ms\n" + second.logTail());
        assertTrue(answered >= 39, answered + " of 40 answered");

        cluster.start("cp1");
        cluster.awaitReady();
        cluster.awaitSynced(second, version);
        Poll.until(WAIT, "the /ready note gone once a control plane answered",
                () -> !String.valueOf(second.admin("/ready")).contains("no control plane reached yet"));
        long next = cluster.clients().exec(cluster.api("cp1"), cluster.tokens().operator(),
                "update server b1 in server-group g weight 20").getVersion();
        assertTrue(next > version);
        cluster.awaitSynced(second, next);
        Poll.until(WAIT, "version " + next + " saved", () -> second.metric("fulcrum_lastgood_saved_version", "") == next);

        List<Long> before = first.appliedVersions();
        List<Long> after = second.appliedVersions();
        assertEquals(version, before.get(before.size() - 1), "before: " + before);
        assertEquals(List.of(version, next), after, "after the restart: the loaded version, then the next one only");
        assertIncreasing(before);
    }

    @Test
    void aControlPlaneOfAnotherClusterTakesOverANodeThatRemembersAHigherVersion(@TempDir Path dir) throws Exception {
        NamedServer backend = closing(NamedServer.start("backend1"));
        int port = Ports.free();
        InetSocketAddress listener = new InetSocketAddress("127.0.0.1", port);
        ProcessCluster old = closing(ProcessCluster.start(dir.resolve("old"), 1));
        DataPlaneProcess first = closing(DataPlaneProcess.start("dp1", dir, old.apis(), old.tokens().file(), null));
        long oldVersion = 0;
        for (String command : List.of("add server-group g timeout 500 period 1000 up 2 down 3",
                "add server b1 to server-group g address " + backend.address(), "add upstream u", "add server-group g to upstream u",
                "add tcp-lb lb address 127.0.0.1:" + port + " upstream u", "update server b1 in server-group g weight 20",
                "update server b1 in server-group g weight 30")) {
            oldVersion = old.clients().exec(old.api("cp1"), old.tokens().operator(), command).getVersion();
        }
        old.awaitSynced(first, oldVersion);
        long saved = oldVersion;
        Poll.until(WAIT, "saved", () -> first.metric("fulcrum_lastgood_saved_version", "") == saved);
        first.kill();
        old.kill("cp1");

        // a rebuilt control plane: a new cluster id, and versions that start again from the bottom
        ProcessCluster rebuilt = closing(ProcessCluster.start(dir.resolve("rebuilt"), 1));
        long newVersion = rebuilt.clients().exec(rebuilt.api("cp1"), rebuilt.tokens().operator(), String.join("\n",
                "add server-group g timeout 500 period 1000 up 2 down 3", "add server b1 to server-group g address " + backend.address(),
                "add upstream u", "add server-group g to upstream u", "add tcp-lb lb address 127.0.0.1:" + port + " upstream u"))
                .getVersion();
        assertTrue(newVersion < oldVersion, newVersion + " < " + oldVersion);
        DataPlaneProcess second = closing(DataPlaneProcess.start("dp1", dir, rebuilt.apis(), rebuilt.tokens().file(), null));
        rebuilt.awaitSynced(second, newVersion);
        assertEquals(List.of(oldVersion, newVersion), second.appliedVersions(), "the remembered config, then the new cluster's");
        assertTrue(answers(listener, "after the takeover"));
    }

    private static void assertIncreasing(List<Long> versions) {
        for (int i = 1; i < versions.size(); i++) {
            assertTrue(versions.get(i) > versions.get(i - 1), "versions only increase: " + versions);
        }
    }

    /** {@code count} requests, one every {@code interval}, each on a new connection: how many were answered. */
    private static int requestsAnswered(InetSocketAddress listener, int count, Duration interval) throws InterruptedException {
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try {
            pacer.scheduleAtFixedRate(() -> {
                int n = sent.incrementAndGet();
                if (n > count) {
                    return;
                }
                if (answers(listener, "request-" + n)) {
                    answered.incrementAndGet();
                }
                done.countDown();
            }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(done.await(count * interval.toMillis() + 30_000, TimeUnit.MILLISECONDS), "requests done");
        } finally {
            pacer.shutdownNow();
        }
        return answered.get();
    }

    /** One connection, one line: true when backend1 echoes it within a second. */
    private static boolean answers(InetSocketAddress listener, String line) {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(1000);
            socket.connect(listener, 1000);
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return ("backend1 " + line).equals(answer);
        } catch (IOException e) {
            return false;
        }
    }
}
