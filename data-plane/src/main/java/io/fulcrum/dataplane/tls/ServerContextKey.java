package io.fulcrum.dataplane.tls;

import io.fulcrum.proto.v1.CertKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes two server contexts the same: the cert-key's name, a digest of its material (so a
 * rotated certificate gets a new context) and whether ALPN offers http/1.1.
 */
record ServerContextKey(String name, String digest, boolean http) {
    static ServerContextKey of(CertKey certKey, boolean http) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(certKey.getCert().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(certKey.getKey().getBytes(StandardCharsets.UTF_8));
            return new ServerContextKey(certKey.getName(), HexFormat.of().formatHex(sha.digest()), http);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        // the digest is of the key too: short, and never logged whole
        return name + "@" + digest.substring(0, 12) + (http ? "/http" : "/tcp");
    }
}
