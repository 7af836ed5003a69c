package io.fulcrum.dataplane.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A client connection that writes raw bytes and reads HTTP/1.1 responses: what a test needs to control. */
public final class HttpClientConnection implements AutoCloseable {
    /** A response as received. */
    public record Response(int status, List<HttpWire.Header> headers, byte[] body) {
        public String header(String name) {
            return HttpWire.header(headers, name);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public HttpClientConnection(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        socket.connect(address, 5000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public HttpClientConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public HttpClientConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next response; {@code head}: it answers a HEAD request (no body). Null if the connection closed first. */
    public Response read(boolean head) throws IOException {
        String status = HttpWire.line(in);
        if (status == null) {
            return null;
        }
        List<HttpWire.Header> headers = HttpWire.headers(in);
        int code = Integer.parseInt(status.split(" ")[1]);
        boolean bodyless = head || code < 200 || code == 204 || code == 304;
        return new Response(code, headers, bodyless ? new byte[0] : HttpWire.body(in, headers, true));
    }

    public Response read() throws IOException {
        return read(false);
    }

    /** GET {@code path} with Host {@code host} on this connection. */
    public Response get(String host, String path) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
    }

    /** One connection, one GET. */
    public static Response get(InetSocketAddress address, String host, String path) {
        try (HttpClientConnection client = new HttpClientConnection(address)) {
            return client.get(host, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the peer closed: reading gives end of stream (or a reset) within the socket timeout. */
    public boolean closedByPeer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    public Socket socket() {
        return socket;
    }

    public InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
