package io.fulcrum.dataplane.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fulcrum.config.schema.AnnotationKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AccessLogFormatTest {
    private static final AccessEntry ENTRY = new AccessEntry(0, "10.0.0.1", 51234, "lb0", "www.a.com", "GET",
            "/say?\"hi\"\\", "HTTP/1.1", 200, 5, 0, 1234, "127.0.0.1:8080", "web", "w1");

    @Test
    void theDefaultFormatIsOneNginxLikeLine() {
        assertEquals("1970-01-01T00:00:00Z 10.0.0.1 www.a.com \"GET /say?\\x22hi\\x22\\x5c HTTP/1.1\" 200 5 1.234 127.0.0.1:8080",
                AccessLogFormat.parse(AnnotationKey.DEFAULT_ACCESS_LOG_FORMAT).render(ENTRY));
    }

    @Test
    void absentValuesAreDashesAndControlBytesAreEscaped() {
        AccessEntry rejected = new AccessEntry(0, "10.0.0.1", 1, "lb0", null, "GET", "/a\nb", "HTTP/1.0", 400, 0, 0, 7,
                null, null, null);
        assertEquals("[lb0] 400 - - - /a\\x0ab 0.007 $",
                AccessLogFormat.parse("[$listener] $status $host $upstream $group $uri $duration_ms $").render(rejected));
    }

    @Test
    void everyKnownVariableRendersAndUnknownOnesAreRefused() {
        StringBuilder all = new StringBuilder();
        AnnotationKey.ACCESS_LOG_VARIABLES.forEach(v -> all.append('$').append(v).append(' '));
        assertEquals(AnnotationKey.ACCESS_LOG_VARIABLES.size() + 2, AccessLogFormat.parse(all.toString()).render(ENTRY)
                .split(" ").length, "$request is three words");
        assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.parse("$status $body"));
    }
}
