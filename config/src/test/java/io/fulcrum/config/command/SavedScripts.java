package io.fulcrum.config.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.config.model.ScriptWriter;

/** What {@code save} writes, checked the way an operator relies on it: loaded into an empty model, it gives the same config. */
final class SavedScripts {
    private SavedScripts() {
    }

    /** Renders {@code interpreter}'s model, loads it into a new one, asserts both are equal (versions aside); the new one. */
    static Interpreter assertRestores(Interpreter interpreter) {
        String saved = String.join("\n", ScriptWriter.render(interpreter.model().toProto()));
        Interpreter reloaded = new Interpreter();
        reloaded.exec(saved);
        assertEquals(interpreter.model().toProto().toBuilder().clearVersion().build(),
                reloaded.model().toProto().toBuilder().clearVersion().build(), saved);
        return reloaded;
    }
}
