package io.fulcrum.dataplane.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The node's admin HTTP endpoint, served by one daemon thread:
 * <ul>
 *   <li>{@code /healthz}: 200 while the process runs;</li>
 *   <li>{@code /ready}: 200 when every {@link ReadinessCheck} of the {@link Readiness} holds, else 503 with the reasons;</li>
 *   <li>{@code /metrics}: the node's registry in the Prometheus text format.</li>
 * </ul>
 */
public final class AdminServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusRegistry registry;
    private final Readiness readiness;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    private AdminServer(HttpServer server, ExecutorService executor, PrometheusRegistry registry, Readiness readiness) {
        this.server = server;
        this.executor = executor;
        this.registry = registry;
        this.readiness = readiness;
    }

    /**
     * Binds {@code address} (port 0 picks a free port) and starts serving.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static AdminServer start(InetSocketAddress address, PrometheusRegistry registry, Readiness readiness,
            String threadName) {
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the admin endpoint on " + address + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        AdminServer admin = new AdminServer(server, executor, registry, readiness);
        server.createContext("/healthz", exchange -> admin.respond(exchange, 200, "text/plain", "ok\n"));
        server.createContext("/ready", admin::ready);
        server.createContext("/metrics", admin::metrics);
        server.setExecutor(executor);
        server.start();
        return admin;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void ready(HttpExchange exchange) throws IOException {
        List<String> reasons = readiness.reasons();
        List<String> notes = readiness.notes();
        if (reasons.isEmpty()) {
            respond(exchange, 200, "text/plain", notes.isEmpty() ? "ready\n" : "ready; " + String.join("; ", notes) + "\n");
        } else {
            respond(exchange, 503, "text/plain", "not ready: " + String.join("; ", reasons) + "\n");
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        writer.write(body, registry.scrape());
        respond(exchange, 200, PrometheusTextFormatWriter.CONTENT_TYPE, body.toByteArray());
    }

    private void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        respond(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
