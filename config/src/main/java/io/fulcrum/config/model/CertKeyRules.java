package io.fulcrum.config.model;

import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.tls.Pem;
import io.fulcrum.config.tls.PemException;
import io.fulcrum.proto.v1.CertKey;

/**
 * The rule between a cert-key's two fields: the key is the private key of the first certificate.
 * Checked for the cert-keys a batch adds or changes. Expiry is not checked here: replicas apply
 * batches at different times and must agree, so an expired certificate is shown, not refused.
 */
final class CertKeyRules {
    private CertKeyRules() {
    }

    static void check(BatchApplier model) {
        model.read(Kind.CERT_KEY).values().stream().filter(ck -> model.changed(Kind.CERT_KEY, ck))
                .map(CertKey.class::cast).forEach(CertKeyRules::checkPair);
    }

    private static void checkPair(CertKey certKey) {
        try {
            Pem.checkPair(Pem.certificates(certKey.getCert()).get(0), Pem.privateKey(certKey.getKey()));
        } catch (PemException e) {
            throw ValidationException.invalid("cert-key " + certKey.getName() + ": key " + e.getMessage());
        }
    }
}
