package io.fulcrum.ctl.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.schema.Kind;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CompletionsTest {
    private static final Function<Kind, List<String>> NAMES = kind -> switch (kind) {
        case SERVER_GROUP -> List.of("ngx", "api");
        case UPSTREAM -> List.of("backend-groups");
        default -> List.of();
    };

    private static List<String> next(String line) {
        return Completions.next(line.isBlank() ? List.of() : List.of(line.split(" ")), NAMES);
    }

    @Test
    void actionsTypesNamesParametersAndValues() {
        assertTrue(next("").containsAll(List.of("add", "list-detail", "man", "status", "exit")));
        assertTrue(next("add").containsAll(List.of("server-group", "tcp-lb", "security-group-rule")));
        assertEquals(List.of("server-group"), next("add server s1 to"));
        assertEquals(List.of("ngx", "api"), next("add server s1 to server-group"));
        assertEquals(List.of("address", "weight", "priority", "drain"), next("add server s1 to server-group ngx"));
        assertEquals(List.of("wrr", "wlc", "source"), next("add server-group g timeout 1 method"));
        assertEquals(List.of("ngx", "api"), next("remove server-group"));
        assertTrue(next("add tcp-lb lb0 upstream").contains("backend-groups"));
        assertTrue(next("add server-group g").contains("to"), "the container clause is offered");
    }
}
