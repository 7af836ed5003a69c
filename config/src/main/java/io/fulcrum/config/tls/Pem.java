package io.fulcrum.config.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text to certificates and keys, with errors that say what is wrong. Error messages never
 * contain key material. Stateless and thread-safe.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final byte[] CHALLENGE = "fulcrum cert-key check".getBytes(StandardCharsets.US_ASCII);

    private Pem() {
    }

    /** True if {@code text} looks like PEM (rather than a file path). */
    public static boolean isPem(String text) {
        return text.stripLeading().startsWith("-----BEGIN ");
    }

    /**
     * The certificates of {@code pem}, leaf first.
     *
     * @throws PemException if there is none, or one does not parse (naming which)
     */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher blocks = BLOCK.matcher(pem);
        int index = 0;
        while (blocks.find()) {
            index++;
            if (!blocks.group(1).equals("CERTIFICATE")) {
                throw new PemException("block " + index + " is " + blocks.group(1)
                        + ", expected CERTIFICATE (the leaf first, then its chain)");
            }
            try {
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                certificates.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(decode(blocks.group(2), "certificate " + index))));
            } catch (CertificateException e) {
                throw new PemException("certificate " + index + " does not parse: " + e.getMessage());
            }
        }
        if (certificates.isEmpty()) {
            throw new PemException("must hold at least one PEM CERTIFICATE block");
        }
        return certificates;
    }

    /**
     * The private key of {@code pem}: PKCS#8 (PRIVATE KEY) or PKCS#1 (RSA PRIVATE KEY).
     *
     * @throws PemException saying what is wrong, without any of the key's content
     */
    public static PrivateKey privateKey(String pem) {
        Matcher block = BLOCK.matcher(pem);
        if (!block.find()) {
            throw new PemException("must be one PEM PRIVATE KEY block");
        }
        String type = block.group(1);
        byte[] der = decode(block.group(2), "the key");
        return switch (type) {
            case "PRIVATE KEY" -> pkcs8(der);
            case "RSA PRIVATE KEY" -> pkcs8(Pkcs1.toPkcs8(der));
            case "ENCRYPTED PRIVATE KEY" -> throw new PemException(
                    "is encrypted; give it unencrypted (openssl pkcs8 -topk8 -nocrypt), the replicated config is its protection");
            case "EC PRIVATE KEY" -> throw new PemException(
                    "is SEC1 (EC PRIVATE KEY); convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in KEY");
            default -> throw new PemException("is a PEM " + type + " block, expected PRIVATE KEY or RSA PRIVATE KEY");
        };
    }

    /** @throws PemException unless {@code key} is the private key of {@code leaf} */
    public static void checkPair(X509Certificate leaf, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new PemException("has algorithm " + key.getAlgorithm() + ", expected RSA, EC or Ed25519");
        };
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(CHALLENGE);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new PemException("does not match the certificate " + CertInfo.of(leaf).subject()
                    + " (the first block of cert must be the certificate of this key)");
        }
    }

    private static PrivateKey pkcs8(byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new PemException("does not parse as an RSA, EC or Ed25519 PKCS#8 key");
    }

    private static byte[] decode(String base64, String what) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new PemException(what + " is not valid base64");
        }
    }
}
