package io.fulcrum.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.fulcrum.controlplane.testing.CapturedLog;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ErrorsTest {
    private static final Instant NOW = Instant.parse("2025-03-04T05:06:07.089Z");
    private final Errors errors = new Errors("cp2", Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aRequestCheckIsInvalidArgumentWithItsMessageAndNotLogged() {
        try (CapturedLog log = new CapturedLog(Errors.class)) {
            StatusRuntimeException status = errors.toStatus(new CompletionException(
                    new InvalidRequestException("invalid raft_address: x (expected HOST:PORT)")));
            assertEquals(Status.Code.INVALID_ARGUMENT, status.getStatus().getCode());
            assertEquals("invalid raft_address: x (expected HOST:PORT)", status.getStatus().getDescription());
            assertEquals(List.of(), log.events());
        }
    }

    @Test
    void aBugIsInternalWithoutItsDetailAndLoggedOnceWithItsStack() {
        for (RuntimeException bug : List.of(new IllegalArgumentException("secret detail"), new NullPointerException("secret detail"),
                new UncheckedIOException(new java.io.IOException("secret detail")))) {
            try (CapturedLog log = new CapturedLog(Errors.class)) {
                StatusRuntimeException status = errors.toStatus(new CompletionException(bug));
                assertEquals(Status.Code.INTERNAL, status.getStatus().getCode());
                assertEquals("internal error (see the log of cp2 at 2025-03-04T05:06:07.089Z)", status.getStatus().getDescription());
                assertFalse(status.getStatus().getDescription().contains(bug.getClass().getSimpleName()));
                List<ILoggingEvent> events = log.events();
                assertEquals(1, events.size());
                assertEquals(Level.ERROR, events.get(0).getLevel());
                assertSame(bug, ((ch.qos.logback.classic.spi.ThrowableProxy) events.get(0).getThrowableProxy()).getThrowable());
            }
        }
    }

    @Test
    void aStatusFromAnotherMemberPassesThroughUnloggedSoABugIsLoggedOnlyWhereItHappened() {
        StatusRuntimeException forwarded = Status.INTERNAL.withDescription("internal error (see the log of cp1 at T)")
                .asRuntimeException();
        try (CapturedLog log = new CapturedLog(Errors.class)) {
            assertSame(forwarded, errors.toStatus(new CompletionException(forwarded)));
            assertEquals(List.of(), log.events());
        }
    }
}
