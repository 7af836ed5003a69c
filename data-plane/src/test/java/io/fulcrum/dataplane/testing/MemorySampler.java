package io.fulcrum.dataplane.testing;

import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples this JVM's memory every 10 ms while open: direct memory (the JDK's count of direct
 * ByteBuffers, which Netty's buffers are made of, plus Netty's own counter when it allocates
 * without the JDK) and the heap in use above what it was when sampling started.
 */
public final class MemorySampler implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final BufferPoolMXBean jdkDirect = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "memory-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final long heapAtStart;
    private final AtomicLong peakDirect = new AtomicLong();
    private final AtomicLong peakHeap = new AtomicLong();

    private MemorySampler() {
        heapAtStart = memory.getHeapMemoryUsage().getUsed();
        timer.scheduleAtFixedRate(this::sample, 0, 10, TimeUnit.MILLISECONDS);
    }

    public static MemorySampler start() {
        return new MemorySampler();
    }

    private void sample() {
        long direct = jdkDirect.getMemoryUsed() + Math.max(0, PlatformDependent.usedDirectMemory());
        peakDirect.accumulateAndGet(direct, Math::max);
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    public long peakDirect() {
        return peakDirect.get();
    }

    public long peakHeapGrowth() {
        return Math.max(0, peakHeap.get() - heapAtStart);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
