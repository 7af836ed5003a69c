package io.fulcrum.controlplane.api.rest;

import io.fulcrum.config.schema.HostPort;
import io.fulcrum.controlplane.api.ApiNode;
import io.fulcrum.controlplane.api.AuthTable;
import io.fulcrum.controlplane.state.ClusterStateMachine;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The REST API and status page of one member ({@code --rest HOST:PORT}, docs/api.md): the route
 * table, wired to the member's operations, served by {@link RestServer}. Writes on a follower are
 * forwarded to the leader by the operations themselves, as gRPC calls are.
 */
public final class RestApi implements AutoCloseable {
    private final RestServer server;
    private final String address;

    private RestApi(RestServer server, String address) {
        this.server = server;
        this.address = address;
    }

    /**
     * @param auth    null: no authentication (--insecure-no-auth)
     * @param tlsCert null: plain HTTP; otherwise HTTPS with the API's certificate and key
     * @throws IllegalArgumentException for unreadable TLS files
     * @throws IllegalStateException    when the address cannot be bound
     */
    public static RestApi start(String address, Path tlsCert, Path tlsKey, AuthTable auth, ApiNode api,
            ClusterStateMachine state) {
        RestRoutes routes = routes(api, state);
        RestHandler handler = new RestHandler(routes, new RestAuthenticator(auth), new HttpFailures(api.errors()));
        RestServer server = RestServer.start(address, tlsCert, tlsKey, handler);
        HostPort bind = HostPort.parse(address, true);
        return new RestApi(server, new HostPort(bind.host(), server.port(), bind.ip()).toString());
    }

    /** Every route, in the order the OpenAPI document lists them. */
    static RestRoutes routes(ApiNode api, ClusterStateMachine state) {
        List<Route> routes = new ArrayList<>(new ModuleRoutes(api.config()).routes());
        routes.addAll(new OperationRoutes(api.config(), api.cluster(), api.history()).routes());
        routes.add(new ApplyRoute(api.config()).route());
        routes.add(new WatchRoute(state).route());
        routes.addAll(StatusPage.routes());
        List<Route> documented = new ArrayList<>(routes);
        Route openApi = Route.of(HttpMethod.GET, "/api/v1/openapi.json", "this document", c -> CompletableFuture
                .completedFuture(RestResponse.json(HttpResponseStatus.OK, OpenApiDocument.of(documented)))).withoutToken();
        documented.add(openApi);
        return new RestRoutes(documented);
    }

    /** host:port the API is bound to (the real port when 0 was asked for). */
    public String address() {
        return address;
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
