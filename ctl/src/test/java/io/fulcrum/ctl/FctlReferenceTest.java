package io.fulcrum.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FctlReferenceTest {

    @Test
    void committedReferenceIsTheGeneratedOne() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        assertEquals(FctlReference.markdown(), Files.readString(dir.resolve("docs/fctl.md")),
                "docs/fctl.md is out of date with fctl's commands: run bin/fulcrum gen-docs and commit it");
    }
}
