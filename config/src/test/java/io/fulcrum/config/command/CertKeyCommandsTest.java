package io.fulcrum.config.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.ConfigException;
import io.fulcrum.config.model.ScriptWriter;
import io.fulcrum.config.testing.TestPki;
import io.fulcrum.config.testing.TestPki.Issued;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The cert-key resource: files become PEM, validation at write time, what is shown, save, in use. */
@Timeout(60)
class CertKeyCommandsTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static Issued site;
    static Issued other;
    static Issued soon;

    @BeforeAll
    static void certificates() {
        pki = TestPki.create(dir, "Test CA");
        site = pki.issue("site", 30, "example.test", "www.example.test");
        other = pki.issue("other", 30, "other.test");
        soon = pki.issue("soon", 5, "soon.test");
    }

    private static String add(String name, Issued issued, String chain) {
        return CertKeyFiles.inline("add cert-key " + name + " cert " + issued.certFile() + chain
                + " key " + issued.keyFile(), dir);
    }

    @Test
    void filesBecomePemAndDetailShowsTheCertificateNeverTheKey() {
        Interpreter interpreter = new Interpreter();
        interpreter.exec(add("ck0", site, "," + pki.ca().certFile()));
        String line = interpreter.exec("list-detail cert-key").getLines(0);
        assertTrue(line.startsWith("ck0 -> subject CN=example.test names example.test,www.example.test issuer "
                + "\"CN=Test CA\" not-after "), line);
        assertTrue(line.contains(" serial " + site.serial() + " sha256 "), line);
        assertTrue(line.endsWith(" chain 2"), line);
        assertFalse(line.contains("PRIVATE"), line);
        assertEquals(List.of("ck0"), interpreter.exec("list cert-key").getLinesList());
        assertEquals(site.keyPem().strip() + "\n", interpreter.model().toProto().getCertKeys(0).getKey());
    }

    @Test
    void changeRecordsShowTheFingerprintAndHideTheKey() {
        Interpreter interpreter = new Interpreter();
        String command = interpreter.model().toProto().getCertKeysCount() == 0 ? add("ck0", site, "") : "";
        String shown = ScriptWriter.line(io.fulcrum.config.model.Target.of(io.fulcrum.proto.v1.Resource.newBuilder()
                .setCertKey(io.fulcrum.proto.v1.CertKey.newBuilder().setName("ck0").setCert(site.certPem())
                        .setKey(site.keyPem())).build()).toMutation(io.fulcrum.proto.v1.MutationAction.MUTATION_ACTION_ADD, null));
        assertTrue(shown.startsWith("add cert-key ck0 cert (subject CN=example.test sha256 "), shown);
        assertTrue(shown.endsWith(" key (secret)"), shown);
        interpreter.exec(command);
    }

    @Test
    void expiringCertificateIsMarked() {
        Interpreter interpreter = new Interpreter();
        interpreter.exec(add("soon", soon, ""));
        String line = interpreter.exec("list-detail cert-key").getLines(0);
        assertTrue(line.matches(".* not-after \\S+ EXPIRING\\([45]d\\) .*"), line);
    }

    @Test
    void savedScriptRestoresTheMaterial() {
        Interpreter interpreter = new Interpreter();
        interpreter.exec(add("ck0", site, ""));
        interpreter.exec(add("ck1", other, ""));
        interpreter.exec("add upstream ups\nadd tcp-lb lb0 address 127.0.0.1:8443 upstream ups cert-key ck0,ck1");
        Interpreter reloaded = SavedScripts.assertRestores(interpreter);
        assertTrue(reloaded.exec("list-detail tcp-lb").getLines(0).contains(" cert-key ck0,ck1"));
    }

    @Test
    void errorsSayWhatIsWrong() {
        Interpreter interpreter = new Interpreter();
        String wrongKey = CertKeyFiles.inline("add cert-key ck0 cert " + site.certFile() + " key " + other.keyFile(), dir);
        assertError("add cert-key ck0: cert-key ck0: key does not match the certificate CN=example.test (the first "
                + "block of cert must be the certificate of this key)", interpreter, wrongKey);
        assertEquals("add cert-key ck0: invalid value for cert: must be PEM CERTIFICATE blocks, the leaf first (fctl reads "
                + "them from files: cert /path/cert.pem,/path/chain.pem); the control plane reads no files: over RESP or "
                + "gRPC give the PEM text itself as a JSON string, got \"/etc/cert.pem\"",
                assertThrows(ConfigException.class, () -> interpreter.exec("add cert-key ck0 cert /etc/cert.pem key /etc/key.pem"))
                        .getMessage());
        String broken = "\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n\"";
        ConfigException e = assertThrows(ConfigException.class, () -> interpreter.exec("add cert-key ck0 cert " + broken
                + " key \"" + site.keyPem().replace("\n", "\\n") + "\""));
        assertTrue(e.getMessage().startsWith("add cert-key ck0: invalid value for cert: certificate 1 does not parse"), e.getMessage());
        ConfigException key = assertThrows(ConfigException.class, () -> interpreter.exec(
                "add cert-key ck0 cert \"" + site.certPem().replace("\n", "\\n") + "\" key \"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\""));
        assertEquals("add cert-key ck0: invalid value for key: does not parse as an RSA, EC or Ed25519 PKCS#8 key", key.getMessage());
        assertError("cannot read " + dir.resolve("missing.pem") + ": no such file", null,
                "add cert-key ck0 cert missing.pem key missing.key");
    }

    @Test
    void removingACertKeyInUseFails() {
        Interpreter interpreter = new Interpreter();
        interpreter.exec(add("ck0", site, ""));
        interpreter.exec(add("ck1", other, ""));
        interpreter.exec("add upstream ups\nadd tcp-lb lb0 address 127.0.0.1:8443 upstream ups cert-key ck0,ck1");
        assertError("remove cert-key ck1: cert-key ck1 is used by tcp-lb lb0", interpreter, "remove cert-key ck1");
        assertError("add tcp-lb lb1: Cannot find cert-key with name ck9", interpreter,
                "add tcp-lb lb1 address 127.0.0.1:8444 upstream ups cert-key ck0,ck9");
        interpreter.exec("update tcp-lb lb0 cert-key ck0");
        interpreter.exec("remove cert-key ck1");
        interpreter.exec("update tcp-lb lb0 cert-key none");
        interpreter.exec("remove cert-key ck0");
    }

    private static void assertError(String expected, Interpreter interpreter, String command) {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> (interpreter == null ? new Interpreter() : interpreter).exec(CertKeyFiles.inline(command, dir)));
        assertEquals(expected, e.getMessage());
    }
}
