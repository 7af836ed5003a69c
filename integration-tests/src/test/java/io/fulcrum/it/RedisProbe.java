package io.fulcrum.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A RESP client of one command: which redis-server answers a new connection to an address. */
final class RedisProbe {
    private RedisProbe() {
    }

    /** Opens a connection to {@code address}, asks {@code CONFIG GET port} and returns the answering server's port. */
    static int backendPort(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 2000);
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write("*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$4\r\nport\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String header = in.readLine();
            if (header == null || !header.equals("*2")) {
                throw new IllegalStateException("unexpected reply " + header);
            }
            in.readLine();
            in.readLine();
            in.readLine();
            return Integer.parseInt(in.readLine());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
