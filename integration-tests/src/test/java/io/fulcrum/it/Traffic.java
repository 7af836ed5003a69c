package io.fulcrum.it;

import io.fulcrum.dataplane.testing.LineClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that keep opening connections through a listener and exchanging lines with the named
 * backends behind it, counting every request and every failure (a refused or reset connection,
 * a wrong or missing answer).
 */
final class Traffic implements AutoCloseable {
    private final List<InetSocketAddress> targets;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong requests = new AtomicLong();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();

    Traffic(List<InetSocketAddress> targets, int clients) {
        this.targets = targets;
        for (int i = 0; i < clients; i++) {
            int index = i;
            Thread thread = new Thread(() -> run(index), "traffic-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void run(int index) {
        long n = 0;
        while (running.get()) {
            InetSocketAddress target = targets.get((int) (n++ % targets.size()));
            try (LineClient client = new LineClient(target)) {
                for (int i = 0; i < 10 && running.get(); i++) {
                    String line = "c" + index + "-" + i;
                    String answer = client.ask(line);
                    if (answer == null || !answer.endsWith(" " + line)) {
                        failures.add(target + ": answered " + answer + " to " + line);
                    }
                    requests.incrementAndGet();
                }
            } catch (IOException e) {
                failures.add(target + ": " + e);
            }
        }
    }

    long requests() {
        return requests.get();
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }
}
