package io.fulcrum.ctl.command;

import io.fulcrum.config.model.Target;
import io.fulcrum.config.tls.CertInfo;
import io.fulcrum.config.tls.PemException;
import io.fulcrum.ctl.output.Table;
import io.fulcrum.proto.v1.CertKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code fctl get cert-key}: names, issuer, expiry with a STATE of OK, EXPIRING (< 14 days) or EXPIRED. */
final class CertKeyTable {
    private CertKeyTable() {
    }

    static Table of(List<Target> targets, Instant now) {
        Table table = new Table("CERT-KEY", "NAMES", "ISSUER", "NOT-AFTER", "DAYS-LEFT", "STATE", "SHA256");
        for (Target target : targets) {
            CertKey certKey = (CertKey) target.resource();
            try {
                CertInfo leaf = CertInfo.ofPem(certKey.getCert());
                String state = !leaf.notAfter().isAfter(now) ? "EXPIRED" : leaf.expiring(now) ? "EXPIRING" : "OK";
                table.row(certKey.getName(), String.join(",", leaf.names()), leaf.issuer(), leaf.notAfter(),
                        Duration.between(now, leaf.notAfter()).toDays(), state, leaf.fingerprint().substring(0, 23) + "...");
            } catch (PemException e) {
                table.row(certKey.getName(), "-", "-", "-", "-", "INVALID", "-");
            }
        }
        return table;
    }
}
