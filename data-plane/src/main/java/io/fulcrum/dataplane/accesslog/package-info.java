/**
 * Access logs of HTTP listeners: the line format ({@link io.fulcrum.dataplane.accesslog.AccessLogFormat}),
 * one record per request ({@link io.fulcrum.dataplane.accesslog.AccessEntry}) and the writers
 * that put lines into files or stdout off the event loops. Free of Netty and of the runtime.
 */
package io.fulcrum.dataplane.accesslog;
