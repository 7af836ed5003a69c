package io.fulcrum.config.rpc;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one place that sets up Fulcrum's gRPC ends: the message size limit both ends enforce, the
 * bearer-token header, TLS credentials and channel building. fctl, the data plane's sync client
 * and the control plane (its server and its forwarding to the leader) all use it, so the two ends
 * cannot drift apart. Builds objects only; nothing here opens a connection.
 */
public final class GrpcSetup {
    /** Largest message either end accepts; snapshots of large configs are big. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    /** The header that carries {@code Bearer TOKEN}. */
    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcSetup() {
    }

    /**
     * Client credentials: TLS trusting {@code ca} when it is given, TLS with the JVM's trusted CAs
     * when only {@code tls} is set, plaintext otherwise.
     *
     * @param ca PEM CA certificate(s), or null
     * @throws IllegalArgumentException naming the file when {@code ca} cannot be read (the cause is kept)
     */
    public static ChannelCredentials clientCredentials(boolean tls, Path ca) {
        if (ca != null) {
            try {
                return TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read the TLS CA file " + ca + ": " + e.getMessage(), e);
            }
        }
        return tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
    }

    /**
     * Server credentials: TLS with {@code cert} and {@code key} when {@code cert} is given,
     * plaintext otherwise.
     *
     * @throws IllegalArgumentException naming the files when they cannot be read (the cause is kept)
     */
    public static ServerCredentials serverCredentials(Path cert, Path key) {
        if (cert == null) {
            return InsecureServerCredentials.create();
        }
        if (key == null) {
            throw new IllegalArgumentException("a TLS certificate (" + cert + ") needs its private key file as well");
        }
        try {
            return TlsServerCredentials.create(cert.toFile(), key.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the TLS certificate " + cert + " or key " + key + ": "
                    + e.getMessage(), e);
        }
    }

    /** A channel builder for {@code target} (HOST:PORT) with the message size limit set. */
    public static ManagedChannelBuilder<?> channel(String target, ChannelCredentials credentials) {
        return Grpc.newChannelBuilder(target, credentials).maxInboundMessageSize(MAX_MESSAGE_BYTES);
    }

    /** The headers of a call authenticated with {@code token}. */
    public static Metadata bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return headers;
    }

    /** An interceptor that authenticates every call with {@code token}. */
    public static ClientInterceptor bearerInterceptor(String token) {
        return MetadataUtils.newAttachHeadersInterceptor(bearer(token));
    }
}
