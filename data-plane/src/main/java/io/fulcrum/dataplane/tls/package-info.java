/**
 * TLS of the data plane: the engine (BoringSSL through netty-tcnative, the JDK's where it cannot
 * load), server contexts built from the config's cert-keys, reused across configs while the
 * material is unchanged and released when no config uses them, and the SNI mapping of a
 * listener. Used by the runtime builder and the acceptor; imports nothing of them.
 */
package io.fulcrum.dataplane.tls;
