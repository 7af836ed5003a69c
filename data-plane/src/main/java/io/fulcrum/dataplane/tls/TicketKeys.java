package io.fulcrum.dataplane.tls;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session-ticket keys that every data plane computes alike, so a ticket issued by one node
 * resumes on any other: derived (HMAC-SHA256) from the cert-key's private key, which every node
 * has from the replicated config, and the number of the 12-hour period. A context encrypts with
 * the current period's key and decrypts with the previous and the next one too, so tickets
 * survive one rotation and clocks that disagree around a period's end. Nothing here is logged or
 * leaves the process. Only the native engine takes ticket keys; the JDK engine keeps its own.
 */
final class TicketKeys {
    static final Duration PERIOD = Duration.ofHours(12);

    private TicketKeys() {
    }

    /** The secret tickets of {@code keyPem}'s contexts derive from (a hash: the key itself is not kept twice). */
    static byte[] secret(String keyPem) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("fulcrum session tickets v1".getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return sha.digest(keyPem.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets the keys of the period holding {@code now} (encrypting) and its neighbours; false for a JDK context. */
    static boolean install(SslContext context, byte[] secret, Instant now) {
        if (!(context.sessionContext() instanceof OpenSslSessionContext sessions)) {
            return false;
        }
        long period = Math.floorDiv(now.getEpochSecond(), PERIOD.getSeconds());
        sessions.setTicketKeys(key(secret, period), key(secret, period - 1), key(secret, period + 1));
        return true;
    }

    static OpenSslSessionTicketKey key(byte[] secret, long period) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] first = hmac.doFinal(("ticket key " + period + " 1").getBytes(StandardCharsets.UTF_8));
            byte[] second = hmac.doFinal(("ticket key " + period + " 2").getBytes(StandardCharsets.UTF_8));
            return new OpenSslSessionTicketKey(Arrays.copyOfRange(first, 0, 16), Arrays.copyOfRange(first, 16, 32),
                    Arrays.copyOfRange(second, 0, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
