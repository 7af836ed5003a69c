package io.fulcrum.dataplane.tls;

import io.fulcrum.proto.v1.CertKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What makes two client (origination) contexts the same: the trust anchors (the names of the
 * CA cert-keys and a digest of their certificates; none: the JDK's trust store) and whether the
 * servers' certificates are verified at all.
 */
record ClientContextKey(List<String> caNames, String digest, boolean verify) {
    static ClientContextKey of(List<CertKey> cas, boolean verify) {
        if (!verify) {
            return new ClientContextKey(List.of(), "", false);
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (CertKey ca : cas) {
                sha.update(ca.getCert().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return new ClientContextKey(cas.stream().map(CertKey::getName).toList(),
                    cas.isEmpty() ? "" : HexFormat.of().formatHex(sha.digest()), true);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        if (!verify) {
            return "origination/insecure-skip-verify";
        }
        return caNames.isEmpty() ? "origination/jdk-trust-store"
                : "origination/" + String.join(",", caNames) + "@" + digest.substring(0, 12);
    }
}
