package io.fulcrum.dataplane.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading HTTP/1.1 messages off a blocking stream, strictly enough for tests: lines, headers, bodies. */
public final class HttpWire {
    private HttpWire() {
    }

    /** One header line, as received. */
    public record Header(String name, String value) {
    }

    /** A line without its CRLF (ISO-8859-1); null at end of stream before any byte. */
    public static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        if (line.size() == 0) {
            return null;
        }
        throw new EOFException("stream ended inside a line");
    }

    private static String requireLine(InputStream in) throws IOException {
        String line = line(in);
        if (line == null) {
            throw new EOFException("stream ended before a chunk size");
        }
        return line;
    }

    public static List<Header> headers(InputStream in) throws IOException {
        List<Header> headers = new ArrayList<>();
        String line;
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.add(new Header(line.substring(0, colon), line.substring(colon + 1).trim()));
        }
        if (line == null) {
            throw new EOFException("stream ended inside the headers");
        }
        return headers;
    }

    /** The first value of header {@code name} (case-insensitive); null if absent. */
    public static String header(List<Header> headers, String name) {
        for (Header header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                return header.value();
            }
        }
        return null;
    }

    public static List<String> all(List<Header> headers, String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    /** The body framed by {@code headers}: Content-Length, chunked, or (if {@code toEnd}) up to the end of the stream. */
    public static byte[] body(InputStream in, List<Header> headers, boolean toEnd) throws IOException {
        String coding = header(headers, "Transfer-Encoding");
        if (coding != null && coding.equalsIgnoreCase("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            long size;
            while ((size = Long.parseLong(requireLine(in).split(";")[0].trim(), 16)) > 0) {
                body.write(in.readNBytes((int) size));
                line(in);
            }
            headers(in);
            return body.toByteArray();
        }
        String length = header(headers, "Content-Length");
        if (length != null) {
            byte[] body = in.readNBytes(Integer.parseInt(length));
            if (body.length < Integer.parseInt(length)) {
                throw new EOFException("body ended after " + body.length + " of " + length + " bytes");
            }
            return body;
        }
        return toEnd ? in.readAllBytes() : new byte[0];
    }
}
