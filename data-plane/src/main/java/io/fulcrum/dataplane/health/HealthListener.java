package io.fulcrum.dataplane.health;

import io.fulcrum.proto.v1.HealthTransition;

/**
 * Told about every health state change this node sees. Called on the event loop that observed
 * the change (a checker's loop or, for a failed connect, the connection's loop): return quickly
 * and never block.
 */
@FunctionalInterface
public interface HealthListener {
    void onTransition(HealthTransition transition);
}
