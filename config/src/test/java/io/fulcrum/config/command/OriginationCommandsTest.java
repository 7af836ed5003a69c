package io.fulcrum.config.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.ConfigException;
import io.fulcrum.config.testing.TestPki;
import io.fulcrum.proto.v1.ServerGroup;
import io.fulcrum.proto.v1.TlsVerify;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Server-group TLS origination parameters: defaults, what is shown, save, errors, the CA in use. */
@Timeout(60)
class OriginationCommandsTest {
    @TempDir
    static Path dir;
    static String addCa;

    @BeforeAll
    static void ca() {
        TestPki pki = TestPki.create(dir, "Origination CA");
        addCa = CertKeyFiles.inline("add cert-key ca cert " + pki.ca().certFile() + " key " + pki.ca().keyFile(), dir);
    }

    private static ServerGroup group(Interpreter interpreter) {
        return interpreter.model().toProto().getServerGroups(0);
    }

    private static String error(Interpreter interpreter, String command) {
        return assertThrows(ConfigException.class, () -> interpreter.exec(command)).getMessage();
    }

    @Test
    void tlsDefaultsToVerifyingAgainstTheJdkTrustStoreWithTheServersName() {
        Interpreter interpreter = new Interpreter();
        interpreter.exec("add server-group g timeout 500 period 1000 up 1 down 2 tls true");
        ServerGroup group = group(interpreter);
        assertEquals(TlsVerify.TLS_VERIFY_ON, group.getTlsVerify());
        assertEquals("", group.getSni());
        assertEquals("", group.getCaCertKeys());
        String line = interpreter.exec("list-detail server-group").getLines(0);
        assertTrue(line.endsWith(" tls true sni server ca-cert-key none tls-verify on"), line);
    }

    @Test
    void everyParameterIsShownSavedAndRestored() {
        Interpreter interpreter = new Interpreter();
        interpreter.exec(addCa);
        interpreter.exec("add server-group g timeout 500 period 1000 up 1 down 2 protocol http tls true sni API.Example.Test "
                + "ca-cert-key ca host-header api.example.test:8443");
        interpreter.exec("add server-group h timeout 500 period 1000 up 1 down 2 tls true tls-verify insecure-skip-verify");
        assertEquals("api.example.test", group(interpreter).getSni(), "lower-cased");
        String line = interpreter.exec("list-detail server-group").getLines(0);
        assertTrue(line.endsWith(" tls true sni api.example.test ca-cert-key ca tls-verify on host-header api.example.test:8443"),
                line);
        SavedScripts.assertRestores(interpreter);
    }

    @Test
    void tlsFalseClearsTheTlsParametersAndTheyAreRefusedWithoutTls() {
        Interpreter interpreter = new Interpreter();
        interpreter.exec(addCa);
        interpreter.exec("add server-group g timeout 500 period 1000 up 1 down 2 tls true sni a.test ca-cert-key ca");
        interpreter.exec("update server-group g tls false");
        assertEquals(ServerGroup.newBuilder().setName("g").build().getSni(), group(interpreter).getSni());
        assertEquals("", group(interpreter).getCaCertKeys());
        assertEquals("update server-group g: sni applies only to a server group with tls (give tls true too)",
                error(interpreter, "update server-group g sni b.test"));
        interpreter.exec("update server-group g tls true sni b.test");
        assertEquals("b.test", group(interpreter).getSni());
    }

    @Test
    void badValuesNameTheParameterAndWhatIsAllowed() {
        Interpreter interpreter = new Interpreter();
        String add = "add server-group g timeout 500 period 1000 up 1 down 2 tls true ";
        assertTrue(error(interpreter, add + "sni 10.0.0.1").contains("sni: must be a DNS name (not an IP)"),
                error(interpreter, add + "sni 10.0.0.1"));
        assertTrue(error(interpreter, add + "tls-verify off").contains("tls-verify: must be one of on, insecure-skip-verify"),
                error(interpreter, add + "tls-verify off"));
        assertTrue(error(interpreter, add + "host-header a/b").contains("host-header: must be a host name or HOST:PORT"),
                error(interpreter, add + "host-header a/b"));
        String missing = error(interpreter, add + "ca-cert-key nope");
        assertTrue(missing.contains("Cannot find cert-key with name nope"), missing);
    }

    @Test
    void aCaCertKeyInUseCannotBeRemoved() {
        Interpreter interpreter = new Interpreter();
        interpreter.exec(addCa);
        interpreter.exec("add server-group g timeout 500 period 1000 up 1 down 2 tls true ca-cert-key ca");
        String e = error(interpreter, "remove cert-key ca");
        assertTrue(e.contains("cert-key ca is used by server-group g"), e);
    }
}
