package io.fulcrum.config.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class AuthFileTest {
    @TempDir
    Path dir;

    private Path file(String content) throws Exception {
        return Files.writeString(dir.resolve("auth-" + content.hashCode()), content);
    }

    private String refused(String content) throws Exception {
        Path f = file(content);
        return assertThrows(InvalidAuthFileException.class, () -> AuthFile.read(f)).getMessage();
    }

    @Test
    void anAuthFileGivesEachRoleItsOwnToken() throws Exception {
        Path f = file("# tokens\n\noperator op-token-1234567890 alice\ndata-plane dp-token-1234567890\n");
        assertEquals("op-token-1234567890", AuthFile.tokenFor(f, AuthFile.Role.OPERATOR));
        assertEquals("dp-token-1234567890", AuthFile.tokenFor(f, AuthFile.Role.DATA_PLANE));
        AuthFile auth = AuthFile.read(f);
        assertTrue(auth.hasRoles());
        assertEquals("alice", auth.entries().get(0).name());
        assertEquals("data-plane-4", auth.entries().get(1).name());
    }

    @Test
    void aFileWithOneTokenServesEveryRole() throws Exception {
        Path f = file("  just-one-token-of-32-characters  \n");
        assertEquals("just-one-token-of-32-characters", AuthFile.tokenFor(f, AuthFile.Role.DATA_PLANE));
        assertFalse(AuthFile.read(f).hasRoles());
    }

    @Test
    void aMissingRoleIsNamedNeverAnotherRolesLine() throws Exception {
        Path f = file("viewer a-token-12345678901\ndata-plane b-token-12345678901\n");
        String message = assertThrows(InvalidAuthFileException.class, () -> AuthFile.tokenFor(f, AuthFile.Role.OPERATOR))
                .getMessage();
        assertTrue(message.startsWith("no operator token in " + f), message);
    }

    @Test
    void shortTokensUnknownRolesDuplicatesAndOtherShapesAreRefused() throws Exception {
        assertTrue(refused("short\n").contains("line 1: a token must have at least 16 characters (this one has 5)"));
        assertTrue(refused("operator op-token-1234567890\ndata-plane dp-x\n")
                .contains("line 2: a token must have at least 16 characters"));
        assertTrue(refused("admin op-token-1234567890\n").contains("line 1: expected ROLE TOKEN [NAME]"));
        assertTrue(refused("operator op-token-1234567890 alice extra\n").contains("expected ROLE TOKEN [NAME]"));
        assertTrue(refused("operator op-token-1234567890\nviewer op-token-1234567890\n")
                .contains("line 2: the same token appears twice"));
        assertTrue(refused("# nothing\n\n").contains("holds no token"));
    }

    @Test
    void anUnreadableFileKeepsItsCause() {
        InvalidAuthFileException e = assertThrows(InvalidAuthFileException.class, () -> AuthFile.read(dir.resolve("absent")));
        assertTrue(e.getMessage().startsWith("cannot read token file"), e.getMessage());
        assertTrue(e.getCause() instanceof java.nio.file.NoSuchFileException);
    }

    @Test
    void anEntryNeverPrintsItsToken() throws Exception {
        AuthFile auth = AuthFile.read(file("operator op-token-1234567890 alice\n"));
        assertFalse(auth.entries().get(0).toString().contains("op-token"));
    }
}
