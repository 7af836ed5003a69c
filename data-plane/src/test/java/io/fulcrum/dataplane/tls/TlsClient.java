package io.fulcrum.dataplane.tls;

import io.fulcrum.config.tls.Pem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** A blocking TLS client for tests that trusts one CA, sends an SNI name and offers ALPN protocols. */
final class TlsClient implements AutoCloseable {
    private final SSLSocket socket;
    private final BufferedReader in;

    private TlsClient(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Connects and completes the handshake; {@code sni} null sends none. */
    static TlsClient connect(InetSocketAddress address, String caPem, String sni, String... alpn) {
        try {
            SSLSocket socket = (SSLSocket) context(caPem).getSocketFactory().createSocket(address.getAddress(), address.getPort());
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            if (sni != null) {
                parameters.setServerNames(List.of(new SNIHostName(sni)));
            }
            parameters.setApplicationProtocols(alpn);
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return new TlsClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SSLContext context(String caPem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", Pem.certificates(caPem).get(0));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The serial of the certificate the server presented, lowercase hex. */
    String serial() {
        try {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16);
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            throw new IllegalStateException(e);
        }
    }

    String protocol() {
        return socket.getSession().getProtocol();
    }

    String alpn() {
        return socket.getApplicationProtocol();
    }

    /** Writes {@code text} and reads one line back. */
    String exchange(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads lines up to the end of an HTTP response head and returns the status line. */
    String httpGet(String host) {
        String status = exchange("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        try {
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            for (int i = 0; i < length; i++) {
                in.read();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return status;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }
}
