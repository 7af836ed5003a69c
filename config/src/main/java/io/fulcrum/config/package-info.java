/**
 * The configuration contract beyond the wire: the field schema of every resource
 * ({@code schema}), the immutable validated model ({@code model}) and the vproxy-style command
 * language ({@code command}). A pure library on top of the generated {@code fulcrum.v1} protos:
 * no network, no threads, no Raft. The control plane, the data plane (standalone config files,
 * snapshot validation) and fctl all use it; it must not import any of them.
 */
package io.fulcrum.config;
