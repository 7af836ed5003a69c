package io.fulcrum.dataplane.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A line-oriented client connection: send a line, read the answer line. */
public final class LineClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    public LineClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(5000);
        socket.connect(address, 5000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    /** Sends {@code line} and returns the answer line; null if the connection closed first. */
    public String ask(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return in.readLine();
    }

    /** One connection, one question: the name of the server that answered. */
    public static String whoAnswers(InetSocketAddress address) {
        try (LineClient client = new LineClient(address)) {
            String answer = client.ask("hello");
            if (answer == null) {
                throw new IOException("connection closed without an answer");
            }
            return answer.substring(0, answer.indexOf(' '));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
