/**
 * Observability endpoints answered off the inference path: liveness and readiness (Kubernetes probe semantics:
 * live = the process serves HTTP, ready = the server takes requests and is not draining) and the request log.
 */
package dev.gantry.server.observe;
