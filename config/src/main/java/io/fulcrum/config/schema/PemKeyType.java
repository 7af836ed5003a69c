package io.fulcrum.config.schema;

import io.fulcrum.config.tls.Pem;

/**
 * A private key as PEM text (PKCS#8 or PKCS#1). Written back only by {@code save}; shown
 * everywhere else as "(secret)", and never quoted in an error.
 */
final class PemKeyType implements FieldType {
    private static final String WHAT = "an unencrypted PEM PRIVATE KEY or RSA PRIVATE KEY (fctl reads it from a file: key /path/key.pem)";

    @Override
    public Object parse(String token) {
        return check(token);
    }

    @Override
    public Object check(Object value) {
        // a path is harmless to repeat, a key is not: the value is never quoted
        return PemText.checked((String) value, WHAT, "", Pem::privateKey);
    }

    @Override
    public String format(Object value) {
        return PemText.quote((String) value);
    }

    @Override
    public String display(Object value) {
        return "(secret)";
    }

    @Override
    public String describe() {
        return WHAT;
    }
}
