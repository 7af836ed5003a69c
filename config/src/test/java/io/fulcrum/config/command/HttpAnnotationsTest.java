package io.fulcrum.config.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.ConfigException;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.schema.AnnotationKey;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP routing hints on upstream links and the HTTP settings on listeners: accepted, checked, rendered. */
@Timeout(30)
class HttpAnnotationsTest {
    private Interpreter interpreter;

    @BeforeEach
    void seed() {
        interpreter = new Interpreter();
        interpreter.exec(String.join("\n",
                "add server-group web timeout 500 period 1000 up 2 down 3",
                "add server-group api timeout 500 period 1000 up 2 down 3",
                "add upstream ups",
                "add tcp-lb lb0 address 127.0.0.1:8080 upstream ups protocol http"));
    }

    @Test
    void hintsAndListenerSettingsAreAcceptedAndShown() {
        interpreter.exec("add server-group web to upstream ups annotations "
                + "{\"fulcrum/hint-host\":\"www.example.com, *.Example.org\",\"fulcrum/hint-uri\":\"/static/\"}");
        interpreter.exec("add server-group api to upstream ups annotations {\"fulcrum/hint-host\":\"*\"}");
        interpreter.exec("update tcp-lb lb0 annotations {\"fulcrum/http-access-log\":\"stdout\","
                + "\"fulcrum/http-access-log-format\":\"$remote_addr $status $upstream\",\"fulcrum/http-max-body-size\":\"1048576\"}");

        assertEquals(List.of("lb0 -> acceptor (acceptor-elg) worker (worker-elg) bind 127.0.0.1:8080 backend ups "
                + "in-buffer-size 16384 out-buffer-size 16384 protocol http annotations {\"fulcrum/http-access-log\":\"stdout\","
                + "\"fulcrum/http-access-log-format\":\"$remote_addr $status $upstream\",\"fulcrum/http-max-body-size\":\"1048576\"}"),
                interpreter.exec("list-detail tcp-lb").getLinesList());
        SavedScripts.assertRestores(interpreter);
    }

    @Test
    void badValuesAreRejectedWithWhatIsAllowed() {
        assertError("add server-group web to upstream ups: invalid value for annotations: annotation fulcrum/hint-host "
                + "must be host names, *.suffix or *, separated by commas, got \"www.*.com\"",
                "add server-group web to upstream ups annotations {\"fulcrum/hint-host\":\"www.*.com\"}");
        assertError("add server-group web to upstream ups: invalid value for annotations: annotation fulcrum/hint-uri "
                + "must be a path prefix starting with / without spaces, got \"api\"",
                "add server-group web to upstream ups annotations {\"fulcrum/hint-uri\":\"api\"}");
        assertError("update tcp-lb lb0: invalid value for annotations: annotation fulcrum/http-access-log-format "
                + "has unknown variable $body, known: $" + String.join(", $", AnnotationKey.ACCESS_LOG_VARIABLES),
                "update tcp-lb lb0 annotations {\"fulcrum/http-access-log-format\":\"$status $body\"}");
        assertError("update tcp-lb lb0: invalid value for annotations: annotation fulcrum/http-response-timeout "
                + "must be an integer 1..3600000, got \"0\"",
                "update tcp-lb lb0 annotations {\"fulcrum/http-response-timeout\":\"0\"}");
        assertError("update tcp-lb lb0: invalid value for annotations: annotation fulcrum/http-access-log "
                + "must be off, stdout or an absolute file path, got \"logs/access.log\"",
                "update tcp-lb lb0 annotations {\"fulcrum/http-access-log\":\"logs/access.log\"}");
        ConfigException unknown = fails("update tcp-lb lb0 annotations {\"fulcrum/http-timeout\":\"5\"}");
        assertTrue(unknown.getMessage().contains("unknown annotation \"fulcrum/http-timeout\""), unknown.getMessage());
    }

    @Test
    void hostPatternsAreLowerCasedAndSplit() {
        assertEquals(List.of("www.a.com", "*.b.org", "*", "[::1]"),
                AnnotationKey.hostPatterns("WWW.a.com,*.B.org , *,[::1]"));
    }

    private ConfigException fails(String command) {
        ConfigModel before = interpreter.model();
        ConfigException e = assertThrows(ConfigException.class, () -> interpreter.exec(command));
        assertSame(before, interpreter.model(), "the model must be unchanged after: " + command);
        return e;
    }

    private void assertError(String expected, String command) {
        assertEquals(expected, fails(command).getMessage());
    }
}
