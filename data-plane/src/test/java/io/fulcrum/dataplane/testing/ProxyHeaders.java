package io.fulcrum.dataplane.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * PROXY protocol headers for tests, read and written by hand from the specification (HAProxy's
 * proxy-protocol.txt), independently of Netty's codec: what a server behind Fulcrum parses and
 * what a load balancer in front of it sends.
 */
public final class ProxyHeaders {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaders() {
    }

    /**
     * Reads one header off {@code in}: {@code "v1 SRC:PORT DST:PORT"}, {@code "v2 SRC:PORT DST:PORT"},
     * {@code "v1 UNKNOWN"} or {@code "v2 LOCAL"}.
     *
     * @throws IOException when the stream does not start with a valid header
     */
    public static String read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int first = data.readUnsignedByte();
        if (first == 'P') {
            String line = HttpWire.line(in);
            String[] parts = ("P" + line).split(" ");
            if (!parts[0].equals("PROXY") || parts.length < 2) {
                throw new IOException("not a v1 header: P" + line);
            }
            return parts[1].equals("UNKNOWN") ? "v1 UNKNOWN"
                    : "v1 " + parts[2] + ":" + parts[4] + " " + parts[3] + ":" + parts[5];
        }
        byte[] signature = new byte[12];
        signature[0] = (byte) first;
        data.readFully(signature, 1, 11);
        if (!Arrays.equals(signature, V2_SIGNATURE)) {
            throw new IOException("neither a v1 nor a v2 header");
        }
        int versionCommand = data.readUnsignedByte();
        int family = data.readUnsignedByte();
        byte[] rest = new byte[data.readUnsignedShort()];
        data.readFully(rest);
        if (versionCommand == 0x20) {
            return "v2 LOCAL";
        }
        int size = family == 0x11 ? 4 : family == 0x21 ? 16 : -1;
        if (versionCommand != 0x21 || size < 0) {
            throw new IOException("unexpected v2 command or family: " + versionCommand + " " + family);
        }
        InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(rest, 0, size));
        InetAddress destination = InetAddress.getByAddress(Arrays.copyOfRange(rest, size, 2 * size));
        int sourcePort = ((rest[2 * size] & 0xff) << 8) | (rest[2 * size + 1] & 0xff);
        int destinationPort = ((rest[2 * size + 2] & 0xff) << 8) | (rest[2 * size + 3] & 0xff);
        return "v2 " + source.getHostAddress() + ":" + sourcePort + " " + destination.getHostAddress() + ":" + destinationPort;
    }

    /** A v1 header for TCP over IPv4. */
    public static byte[] v1(String source, int sourcePort, String destination, int destinationPort) {
        return ("PROXY TCP4 " + source + " " + destination + " " + sourcePort + " " + destinationPort + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A v2 PROXY header for TCP over IPv4. */
    public static byte[] v2(String source, int sourcePort, String destination, int destinationPort) throws IOException {
        byte[] header = Arrays.copyOf(V2_SIGNATURE, 28);
        header[12] = 0x21;
        header[13] = 0x11;
        header[15] = 12;
        System.arraycopy(InetAddress.getByName(source).getAddress(), 0, header, 16, 4);
        System.arraycopy(InetAddress.getByName(destination).getAddress(), 0, header, 20, 4);
        header[24] = (byte) (sourcePort >> 8);
        header[25] = (byte) sourcePort;
        header[26] = (byte) (destinationPort >> 8);
        header[27] = (byte) destinationPort;
        return header;
    }

    /** The v2 {@code LOCAL} header a load balancer's own health check sends. */
    public static byte[] v2Local() {
        byte[] header = Arrays.copyOf(V2_SIGNATURE, 16);
        header[12] = 0x20;
        return header;
    }
}
