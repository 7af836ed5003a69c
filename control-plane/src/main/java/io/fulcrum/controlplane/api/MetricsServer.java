package io.fulcrum.controlplane.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fulcrum.config.schema.HostPort;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** {@code --metrics HOST:PORT}: {@code /metrics} in Prometheus text format and {@code /healthz}. */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    public static MetricsServer start(String address, PrometheusRegistry registry) {
        HostPort bind = HostPort.parse(address, true);
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bind.host(), bind.port()), 16);
            server.createContext("/metrics", exchange -> {
                ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
                writer.write(body, registry.scrape());
                respond(exchange, PrometheusTextFormatWriter.CONTENT_TYPE, body.toByteArray());
            });
            server.createContext("/healthz", exchange -> respond(exchange, "text/plain", "ok\n".getBytes(StandardCharsets.UTF_8)));
            server.start();
            return new MetricsServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the metrics endpoint on " + address, e);
        }
    }

    private static void respond(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
