package io.fulcrum.dataplane.balance;

/** A candidate whose availability and connection count a test sets. */
final class FakeCandidate implements Candidate {
    private final String name;
    private final int weight;
    int priority;
    volatile boolean available = true;
    volatile int active;
    volatile double ramp = 1.0;

    FakeCandidate(String name, int weight) {
        this.name = name;
        this.weight = weight;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public boolean available() {
        return available && weight > 0;
    }

    @Override
    public int activeConnections() {
        return active;
    }

    @Override
    public String hashKey() {
        return name + "@10.0.2." + name.hashCode() % 200 + ":80";
    }

    @Override
    public double rampFactor() {
        return ramp;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public String toString() {
        return name;
    }
}
