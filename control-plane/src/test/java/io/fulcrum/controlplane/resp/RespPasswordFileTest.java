package io.fulcrum.controlplane.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.ControlPlaneNode;
import io.fulcrum.controlplane.ControlPlaneSettings;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.controlplane.testing.Tokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** --resp-password-file: the RESP password read from a one-token file, so it is not in ps. */
@Timeout(60)
class RespPasswordFileTest {
    private static final String PASSWORD = "resp-file-password-0123";

    private static ControlPlaneSettings.Builder settings(Path dir) {
        Tokens tokens = Tokens.write(dir);
        return ControlPlaneSettings.builder("cp1", dir.resolve("cp1")).raft(Ports.loopback()).api(Ports.loopback())
                .authFile(tokens.file()).resp(Ports.loopback(), null).election(300, 200).fsync(false);
    }

    @Test
    void thePasswordInTheFileIsTheOneRedisClientsAuthWith(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("resp-password"), "# the RESP password\n" + PASSWORD + "\n");
        try (ControlPlaneNode node = ControlPlaneNode.start(settings(dir).respPasswordFile(file).build())) {
            assertEquals("-WRONGPASS invalid password", command(node.respPort(), "AUTH not-the-password"));
            assertEquals("+OK", command(node.respPort(), "AUTH " + PASSWORD));
        }
    }

    @Test
    void aFileOfRoleLinesOrAShortTokenOrBothFlagsAreRefusedAtStart(@TempDir Path dir) throws IOException {
        Path roles = Files.writeString(dir.resolve("roles"), "operator " + PASSWORD + "\n");
        IllegalArgumentException lines = assertThrows(IllegalArgumentException.class,
                () -> ControlPlaneNode.start(settings(dir).respPasswordFile(roles).build()));
        assertTrue(lines.getMessage().contains("must hold the password alone"), lines.getMessage());
        Path shortOne = Files.writeString(dir.resolve("short"), "short\n");
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> ControlPlaneNode.start(settings(dir).respPasswordFile(shortOne).build()));
        assertTrue(tooShort.getMessage().contains("at least 16 characters"), tooShort.getMessage());
        Path good = Files.writeString(dir.resolve("good"), PASSWORD + "\n");
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> ControlPlaneNode.start(
                settings(dir).resp(Ports.loopback(), PASSWORD).respPasswordFile(good).build()));
        assertEquals("give --resp-password or --resp-password-file, not both", both.getMessage());
    }

    /** One inline RESP command on a new connection; its reply's first line. */
    private static String command(int port, String line) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
