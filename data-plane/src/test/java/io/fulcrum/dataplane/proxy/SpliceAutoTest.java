package io.fulcrum.dataplane.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SpliceAutoTest {
    private static final int BUFFER = 16384;

    @Test
    void aStreamOfFullReadsSwitchesOnceAfterTheThreshold() {
        SpliceAuto splice = new SpliceAuto();
        int batches = SpliceAuto.STREAM_BYTES / (4 * BUFFER);
        for (int batch = 1; batch < batches; batch++) {
            readFull(splice, 4);
            assertFalse(splice.batchEnded(), "switched after " + batch * 4 * BUFFER + " bytes");
        }
        readFull(splice, 4);
        splice.read(read(100, BUFFER)); // the batch's last read found the socket nearly empty: still a stream
        assertTrue(splice.batchEnded());
        readFull(splice, 16);
        assertFalse(splice.batchEnded(), "asked to switch a second time");
    }

    @Test
    void requestsAndResponsesSmallerThanTheBufferNeverSwitch() {
        SpliceAuto splice = new SpliceAuto();
        for (int i = 0; i < 100_000; i++) {
            splice.read(read(BUFFER - 1, BUFFER));
            assertFalse(splice.batchEnded());
        }
    }

    @Test
    void twoBatchesInARowWithoutAFullReadStartTheCountAgain() {
        SpliceAuto splice = new SpliceAuto();
        int half = SpliceAuto.STREAM_BYTES / BUFFER / 2;
        readFull(splice, half);
        assertFalse(splice.batchEnded());
        for (int quiet = 0; quiet < 2; quiet++) {
            splice.read(read(200, BUFFER));
            assertFalse(splice.batchEnded());
        }
        readFull(splice, half + 1);
        assertFalse(splice.batchEnded(), "counted the bytes from before the quiet batches");
        readFull(splice, half);
        assertTrue(splice.batchEnded());
    }

    @Test
    void oneShortBatchDoesNotEndAStream() {
        SpliceAuto splice = new SpliceAuto();
        int reads = SpliceAuto.STREAM_BYTES / BUFFER;
        for (int i = 1; i < reads; i++) {
            readFull(splice, 1);
            assertFalse(splice.batchEnded());
            if (i % 5 == 0) {
                // a batch that found less than a buffer, as when a paused reader catches up with the sender
                splice.read(read(12_800, BUFFER));
                assertFalse(splice.batchEnded());
            }
        }
        readFull(splice, 1);
        assertTrue(splice.batchEnded());
    }

    private static void readFull(SpliceAuto splice, int reads) {
        for (int i = 0; i < reads; i++) {
            splice.read(read(BUFFER, BUFFER));
        }
    }

    /** A buffer of {@code capacity} into which a read put {@code length} bytes. */
    private static ByteBuf read(int length, int capacity) {
        ByteBuf buffer = Unpooled.buffer(capacity, capacity);
        buffer.writerIndex(length);
        return buffer;
    }
}
