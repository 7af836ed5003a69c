/**
 * The data plane's side of the sync protocol (docs/sync-protocol.md): {@code SyncClient} keeps a
 * node in step with the control plane over one stream at a time, through {@code SyncedNode}, the
 * package's own view of the node. Split by concern: {@code ControlPlaneChannels} (one gRPC channel
 * per address), {@code ExponentialBackoff} (reconnect delays), {@code SnapshotApplier} (apply,
 * never backwards, Ack/Nack). It must not import {@code io.fulcrum.dataplane} (the node's package
 * depends on this one, not the other way round).
 */
package io.fulcrum.dataplane.sync;
