package io.fulcrum.controlplane.api.rest;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The status page: static HTML, JS and CSS from the jar, served without a token because they hold
 * no data; the page reads everything it shows from the REST API with the token the browser keeps
 * in sessionStorage (given once as {@code /status?token=...} or typed into its form).
 */
final class StatusPage {
    private static final String DIR = "/io/fulcrum/controlplane/status/";

    private StatusPage() {
    }

    static List<Route> routes() {
        return List.of(file("/status", "index.html", "text/html; charset=utf-8", "the status page (docs/api.md)"),
                file("/status/status.js", "status.js", "text/javascript; charset=utf-8", "the status page's script"),
                file("/status/status.css", "status.css", "text/css; charset=utf-8", "the status page's style"));
    }

    private static Route file(String path, String name, String type, String summary) {
        byte[] body = read(name);
        return Route.of(HttpMethod.GET, path, summary, c -> CompletableFuture.completedFuture(
                RestResponse.text(HttpResponseStatus.OK, type, body))).produces(type).withoutToken();
    }

    private static byte[] read(String name) {
        try (InputStream in = StatusPage.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("status page file " + DIR + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
