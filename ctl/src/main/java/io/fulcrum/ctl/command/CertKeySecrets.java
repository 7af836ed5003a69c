package io.fulcrum.ctl.command;

import io.fulcrum.proto.v1.CertKey;
import io.fulcrum.proto.v1.Config;

/** What fctl shows of a config: every private key replaced by "(secret)" (only save writes keys). */
final class CertKeySecrets {
    static final String SECRET = "(secret)";

    private CertKeySecrets() {
    }

    static Config redacted(Config config) {
        if (config.getCertKeysCount() == 0) {
            return config;
        }
        Config.Builder shown = config.toBuilder();
        for (int i = 0; i < shown.getCertKeysCount(); i++) {
            CertKey certKey = shown.getCertKeys(i);
            shown.setCertKeys(i, certKey.toBuilder().setKey(SECRET));
        }
        return shown.build();
    }
}
