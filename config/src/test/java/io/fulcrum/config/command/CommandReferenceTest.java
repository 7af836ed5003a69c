package io.fulcrum.config.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.fulcrum.config.testing.CertKeyPems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CommandReferenceTest {

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/ above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    @Test
    void committedReferenceIsTheGeneratedOne() throws IOException {
        Path docs = repositoryRoot().resolve("docs/commands.md");
        assertEquals(CommandReference.markdown(), Files.readString(docs),
                "docs/commands.md is out of date with the grammar table: run bin/fulcrum gen-docs and commit it");
    }

    @Test
    void everyExampleOfTheTableParsesIntoItsOwnForm() {
        for (CommandSpec spec : Grammar.specs()) {
            // cert-key examples name files, which fctl reads: give the parser what fctl would send
            String[] pem = CertKeyPems.PAIRS.get(0);
            String example = spec.example().replaceAll(" cert /\\S+", " cert " + java.util.regex.Matcher.quoteReplacement(pem[0]))
                    .replaceAll(" key /\\S+", " key " + java.util.regex.Matcher.quoteReplacement(pem[1]));
            Command command = (Command) CommandParser.parse(example);
            assertEquals(spec, command.spec(), spec.example());
            if (!command.isQuery()) {
                command.toMutation();
            }
        }
    }

    @Test
    void manIsGeneratedFromTheSameTable() {
        List<String> overview = Help.text(new HelpRequest("man", List.of()));
        assertTrue(overview.contains("  tcp-lb (tl)                  add, list, list-detail, update, remove"), overview.toString());
        List<String> server = Help.text(new HelpRequest("man server add", List.of("server", "add")));
        assertEquals("add server NAME to server-group SERVER-GROUP address ADDRESS [weight WEIGHT] [priority PRIORITY] [drain DRAIN]", server.get(0));
        assertTrue(server.get(2).contains("default 10; share of new connections"), server.toString());
        assertFalse(Help.text(new HelpRequest("man rm", List.of("rm"))).isEmpty());
    }
}
