/**
 * Observability endpoints answered off the inference path: liveness and readiness (Kubernetes probe semantics:
 * live = the process serves HTTP, ready = the model is loaded and the server is not draining).
 */
package dev.gantry.server.observe;
