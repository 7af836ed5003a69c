package io.fulcrum.ctl.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A tiny HTTP backend for {@code bin/fulcrum demo}: answers every request with
 * "hello from NAME". Usage: {@code DemoBackend NAME HOST:PORT}.
 */
public final class DemoBackend {
    private DemoBackend() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || args[1].lastIndexOf(':') < 0) {
            System.err.println("usage: DemoBackend NAME HOST:PORT");
            System.exit(2);
        }
        String name = args[0];
        int colon = args[1].lastIndexOf(':');
        InetSocketAddress address = new InetSocketAddress(args[1].substring(0, colon), Integer.parseInt(args[1].substring(colon + 1)));
        HttpServer server = HttpServer.create(address, 128);
        byte[] body = ("hello from " + name + "\n").getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        System.out.println("demo backend " + name + " on " + args[1]);
    }
}
