package io.fulcrum.dataplane.tls;

import javax.net.ssl.SSLException;

/** A TLS handshake with a server failed; the message is the reason in an operator's words. */
public final class TlsHandshakeException extends SSLException {
    private static final long serialVersionUID = 1L;

    TlsHandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
