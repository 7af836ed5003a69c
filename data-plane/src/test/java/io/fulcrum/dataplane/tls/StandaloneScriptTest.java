package io.fulcrum.dataplane.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.testing.TestPki;
import io.fulcrum.config.testing.TestPki.Issued;
import io.fulcrum.dataplane.ConfigScript;
import io.fulcrum.proto.v1.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A standalone data plane (--config FILE) reads the cert-key files its script names, relative to the script. */
@Timeout(60)
class StandaloneScriptTest {
    @TempDir
    Path dir;

    @Test
    void relativePathsAreReadBesideTheScript() throws Exception {
        Issued site = TestPki.create(dir, "Standalone CA").issue("site", 30, "site.test");
        Path script = dir.resolve("fulcrum.conf");
        Files.writeString(script, "add cert-key ck0 cert site.pem key site.key\n");
        Config config = ConfigScript.read(script, 1);
        assertEquals(site.certPem().strip() + "\n", config.getCertKeys(0).getCert());

        Files.writeString(script, "add cert-key ck0 cert missing.pem key site.key\n");
        RuntimeException e = assertThrows(RuntimeException.class, () -> ConfigScript.read(script, 2));
        assertTrue(e.getMessage().equals(script + ": cannot read " + dir.resolve("missing.pem") + ": no such file"), e.getMessage());
    }
}
