package io.fulcrum.config.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What an operator sees of a certificate: subject, DNS names (SANs), issuer, expiry, serial and
 * SHA-256 fingerprint. Never anything of the key. Immutable.
 *
 * @param names the DNS subject alternative names, or the subject's CN when it has none
 */
public record CertInfo(String subject, List<String> names, String issuer, Instant notAfter, String serial,
        String fingerprint) {
    /** A certificate expiring within this is shown as expiring (fctl, /metrics). */
    public static final Duration EXPIRING = Duration.ofDays(14);

    public static CertInfo of(X509Certificate certificate) {
        return new CertInfo(certificate.getSubjectX500Principal().getName(), dnsNames(certificate),
                certificate.getIssuerX500Principal().getName(), certificate.getNotAfter().toInstant(),
                certificate.getSerialNumber().toString(16), fingerprint(certificate));
    }

    /** The leaf of {@code pem} (the first CERTIFICATE block). */
    public static CertInfo ofPem(String pem) {
        return of(Pem.certificates(pem).get(0));
    }

    /** True if the certificate has expired or expires within {@link #EXPIRING} of {@code now}. */
    public boolean expiring(Instant now) {
        return !notAfter.isAfter(now.plus(EXPIRING));
    }

    /** The DNS names of {@code certificate}'s SANs, else its subject's CN; empty if neither. */
    public static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> san : certificate.getSubjectAlternativeNames()) {
                    if (((Integer) san.get(0)) == 2) {
                        names.add(((String) san.get(1)).toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable SANs: fall back to the CN
        }
        if (names.isEmpty()) {
            for (String part : certificate.getSubjectX500Principal().getName().split(",")) {
                if (part.startsWith("CN=")) {
                    names.add(part.substring(3).toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        return List.copyOf(names);
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
