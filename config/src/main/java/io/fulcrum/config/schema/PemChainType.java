package io.fulcrum.config.schema;

import io.fulcrum.config.tls.CertInfo;
import io.fulcrum.config.tls.Pem;
import io.fulcrum.config.tls.PemException;

/**
 * A certificate chain as PEM text (the leaf first). In a command it is a JSON string; fctl turns
 * file paths into it before sending (docs/tls.md). Written back as a JSON string (save); shown
 * as the leaf's subject and fingerprint.
 */
final class PemChainType implements FieldType {
    static final String WHAT = "PEM CERTIFICATE blocks, the leaf first (fctl reads them from files: cert /path/cert.pem,/path/chain.pem)";

    @Override
    public Object parse(String token) {
        return check(token);
    }

    @Override
    public Object check(Object value) {
        String text = (String) value;
        return PemText.checked(text, WHAT, ", got " + InvalidValueException.quote(text), Pem::certificates);
    }

    @Override
    public String format(Object value) {
        return PemText.quote((String) value);
    }

    @Override
    public String display(Object value) {
        try {
            CertInfo leaf = CertInfo.ofPem((String) value);
            return "(subject " + leaf.subject().replace(' ', '_') + " sha256 " + leaf.fingerprint() + ")";
        } catch (PemException e) {
            return "(invalid)";
        }
    }

    @Override
    public String describe() {
        return WHAT;
    }
}
