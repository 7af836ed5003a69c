package io.fulcrum.dataplane.proxyprotocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.HttpWire;
import io.fulcrum.dataplane.testing.ProxyHeaders;
import io.fulcrum.dataplane.testing.Scripts;
import io.fulcrum.dataplane.testing.SocketServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The PROXY protocol through listeners: headers sent to servers (v1, v2) carry the client's
 * address, headers from a trusted balancer name the client (for the TCP relay, the security
 * group, the next header and X-Forwarded-For), and untrusted clients are their own client. Test
 * clients connect from 127.0.0.2 (untrusted) or 127.0.0.1 (the trusted balancer).
 */
@Timeout(60)
class ProxyProtocolTest {
    private static final String CLIENT = "127.0.0.2";

    /** Answers the header it read as a line, then echoes. */
    private final SocketServer echo = SocketServer.start(ProxyProtocolTest::headerThenEcho);
    /** Answers every HTTP request on a connection with the header the connection started with. */
    private final SocketServer http = SocketServer.start(ProxyProtocolTest::headerOverHttp);
    private final HttpBackend plainHttp = HttpBackend.start("plain");
    private final int send1 = FreePorts.next();
    private final int send2 = FreePorts.next();
    private final int accept = FreePorts.next();
    private final int guarded = FreePorts.next();
    private final int httpAccept = FreePorts.next();
    private final int httpSend = FreePorts.next();
    private final DataPlane node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(1).build());

    ProxyProtocolTest() {
        String trusted = "annotations {\"fulcrum/proxy-protocol-accept\":\"127.0.0.1/32\"}";
        String script = """
                add server-group v1 timeout 500 period 1000 up 1 down 2 protocol none annotations {"fulcrum/proxy-protocol-send":"v1"}
                add server s1 to server-group v1 address %s
                add server-group v2 timeout 500 period 1000 up 1 down 2 protocol none annotations {"fulcrum/proxy-protocol-send":"v2"}
                add server s1 to server-group v2 address %s
                add server-group plain timeout 500 period 1000 up 1 down 2 protocol none
                add server s1 to server-group plain address %s
                add server-group httpv1 timeout 500 period 1000 up 1 down 2 protocol none annotations {"fulcrum/proxy-protocol-send":"v1"}
                add server s1 to server-group httpv1 address %s
                add upstream u1
                add server-group v1 to upstream u1
                add upstream u2
                add server-group v2 to upstream u2
                add upstream plain
                add server-group plain to upstream plain
                add upstream httpv1
                add server-group httpv1 to upstream httpv1
                add security-group sg default allow
                add security-group-rule r1 to security-group sg network 203.0.113.0/24 protocol TCP port-range 1,65535 default deny
                add tcp-lb send1 address 127.0.0.1:%d upstream u1
                add tcp-lb send2 address 127.0.0.1:%d upstream u2
                add tcp-lb accept address 127.0.0.1:%d upstream u2 %s
                add tcp-lb guarded address 127.0.0.1:%d upstream u2 security-group sg %s
                add tcp-lb http-accept address 127.0.0.1:%d upstream plain protocol http %s
                add tcp-lb http-send address 127.0.0.1:%d upstream httpv1 protocol http
                """.formatted(echo.address(), echo.address(), plainHttp.address(), http.address(), send1, send2, accept,
                trusted, guarded, trusted, httpAccept, trusted, httpSend);
        assertTrue(node.apply(Scripts.config(script, 1)).isApplied());
    }

    @AfterEach
    void stop() {
        node.close();
        echo.close();
        http.close();
        plainHttp.close();
    }

    @Test
    void tcpListenersSendV1AndV2HeadersWithTheClientsAddress() throws IOException {
        for (int port : List.of(send1, send2)) {
            try (Socket client = connect(CLIENT, port)) {
                String version = port == send1 ? "v1" : "v2";
                assertEquals(version + " " + CLIENT + ":" + client.getLocalPort() + " 127.0.0.1:" + port, exchange(client, "hello"));
                assertEquals("hello", HttpWire.line(client.getInputStream()), "then the bytes as they came");
            }
        }
    }

    @Test
    void aTrustedBalancersV1OrV2HeaderNamesTheClient() throws IOException {
        try (Socket balancer = connect("127.0.0.1", accept)) {
            balancer.getOutputStream().write(ProxyHeaders.v1("198.51.100.7", 5555, "192.0.2.1", 443));
            assertEquals("v2 198.51.100.7:5555 192.0.2.1:443", exchange(balancer, "after v1"));
            assertEquals("after v1", HttpWire.line(balancer.getInputStream()));
        }
        try (Socket balancer = connect("127.0.0.1", accept)) {
            balancer.getOutputStream().write(ProxyHeaders.v2("198.51.100.8", 6666, "192.0.2.1", 443));
            assertEquals("v2 198.51.100.8:6666 192.0.2.1:443", exchange(balancer, "after v2"));
        }
        try (Socket balancer = connect("127.0.0.1", accept)) {
            balancer.getOutputStream().write(ProxyHeaders.v2Local());
            assertEquals("v2 127.0.0.1:" + balancer.getLocalPort() + " 127.0.0.1:" + accept, exchange(balancer, "local"),
                    "LOCAL (the balancer's own check) keeps the socket's addresses");
        }
    }

    @Test
    void aTrustedConnectionWithoutAHeaderIsClosedBeforeAnyServer() throws IOException {
        int before = echo.accepted();
        try (Socket balancer = connect("127.0.0.1", accept)) {
            balancer.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, balancer.getInputStream().read(), "closed");
        }
        assertEquals(before, echo.accepted(), "no server was connected");
    }

    @Test
    void anUntrustedClientIsItsOwnClientAndItsHeaderIsData() throws IOException {
        try (Socket client = connect(CLIENT, accept)) {
            client.getOutputStream().write(ProxyHeaders.v1("198.51.100.7", 5555, "192.0.2.1", 443));
            client.getOutputStream().flush();
            assertEquals("v2 " + CLIENT + ":" + client.getLocalPort() + " 127.0.0.1:" + accept,
                    HttpWire.line(client.getInputStream()));
            assertEquals("PROXY TCP4 198.51.100.7 192.0.2.1 5555 443", HttpWire.line(client.getInputStream()));
        }
    }

    @Test
    void theSecurityGroupChecksTheAnnouncedClient() throws IOException {
        try (Socket balancer = connect("127.0.0.1", guarded)) {
            balancer.getOutputStream().write(ProxyHeaders.v1("203.0.113.7", 5555, "192.0.2.1", 443));
            assertEquals(-1, balancer.getInputStream().read(), "203.0.113.0/24 is denied");
        }
        try (Socket balancer = connect("127.0.0.1", guarded)) {
            balancer.getOutputStream().write(ProxyHeaders.v1("198.51.100.7", 5555, "192.0.2.1", 443));
            assertEquals("v2 198.51.100.7:5555 192.0.2.1:443", exchange(balancer, "allowed"));
        }
    }

    @Test
    void anHttpListenerPutsTheAnnouncedClientInXForwardedFor() throws IOException {
        try (Socket balancer = connect("127.0.0.1", httpAccept)) {
            OutputStream out = balancer.getOutputStream();
            out.write(ProxyHeaders.v2("198.51.100.7", 5555, "192.0.2.1", 80));
            out.write("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.9.9.9\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(balancer.getInputStream());
            assertEquals("HTTP/1.1 200 X", HttpWire.line(in));
            assertEquals("plain", new String(HttpWire.body(in, HttpWire.headers(in), false), StandardCharsets.UTF_8));
        }
        HttpBackend.Request request = plainHttp.received().get(0);
        assertEquals("10.9.9.9, 198.51.100.7", request.header("X-Forwarded-For"));
        assertEquals("198.51.100.7", request.header("X-Real-IP"));
    }

    @Test
    void anHttpServerGroupGetsAHeaderOnAConnectionOfEachClient() throws IOException {
        for (String source : List.of("127.0.0.2", "127.0.0.3")) {
            try (Socket client = connect(source, httpSend)) {
                InputStream in = new BufferedInputStream(client.getInputStream());
                for (int i = 0; i < 2; i++) {
                    client.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals("HTTP/1.1 200 OK", HttpWire.line(in));
                    String body = new String(HttpWire.body(in, HttpWire.headers(in), false), StandardCharsets.UTF_8);
                    assertEquals("v1 " + source + ":" + client.getLocalPort() + " 127.0.0.1:" + httpSend, body);
                }
            }
        }
        assertEquals(4, http.accepted(), "a server connection speaks for one client: never pooled");
    }

    private static Socket connect(String source, int port) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(10_000);
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return socket;
    }

    /** Sends a line, reads the server's first line (the header it got). */
    private static String exchange(Socket socket, String line) throws IOException {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        return HttpWire.line(socket.getInputStream());
    }

    private static void headerThenEcho(Socket connection) throws IOException {
        InputStream in = connection.getInputStream();
        OutputStream out = connection.getOutputStream();
        out.write((ProxyHeaders.read(in) + "\n").getBytes(StandardCharsets.US_ASCII));
        in.transferTo(out);
    }

    private static void headerOverHttp(Socket connection) throws IOException {
        InputStream in = new BufferedInputStream(connection.getInputStream());
        OutputStream out = connection.getOutputStream();
        byte[] header = ProxyHeaders.read(in).getBytes(StandardCharsets.US_ASCII);
        while (HttpWire.line(in) != null) {
            HttpWire.body(in, HttpWire.headers(in), false);
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + header.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(header);
            out.flush();
        }
    }
}
