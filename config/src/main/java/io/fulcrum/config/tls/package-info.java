/**
 * Certificates and private keys as the replicated config carries them (PEM text): parsing,
 * the key-matches-certificate check, what {@code list-detail} shows about a certificate, and the
 * rewriting of {@code cert-key} file paths into PEM on the operator's machine. JDK only; imports
 * nothing of Fulcrum (the schema uses it, not the other way round).
 */
package io.fulcrum.config.tls;
