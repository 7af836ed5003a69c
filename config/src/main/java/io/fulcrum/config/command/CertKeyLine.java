package io.fulcrum.config.command;

import io.fulcrum.config.tls.CertInfo;
import io.fulcrum.config.tls.Pem;
import io.fulcrum.config.tls.PemException;
import io.fulcrum.proto.v1.CertKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The {@code list-detail cert-key} line: the leaf's subject, DNS names, issuer, expiry (with
 * EXPIRING or EXPIRED when it is near), serial, fingerprint and the chain's length; never the key.
 */
final class CertKeyLine {
    private CertKeyLine() {
    }

    static String of(CertKey certKey, Instant now) {
        List<java.security.cert.X509Certificate> chain;
        try {
            chain = Pem.certificates(certKey.getCert());
        } catch (PemException e) {
            return certKey.getName() + " -> invalid certificate: " + e.getMessage();
        }
        CertInfo leaf = CertInfo.of(chain.get(0));
        return certKey.getName() + " -> subject " + quoted(leaf.subject()) + " names " + String.join(",", leaf.names())
                + " issuer " + quoted(leaf.issuer()) + " not-after " + leaf.notAfter() + expiry(leaf, now)
                + " serial " + leaf.serial() + " sha256 " + leaf.fingerprint() + " chain " + chain.size();
    }

    private static String expiry(CertInfo leaf, Instant now) {
        if (!leaf.notAfter().isAfter(now)) {
            return " EXPIRED";
        }
        return leaf.expiring(now) ? " EXPIRING(" + Duration.between(now, leaf.notAfter()).toDays() + "d)" : "";
    }

    private static String quoted(String text) {
        return text.contains(" ") ? '"' + text + '"' : text;
    }
}
