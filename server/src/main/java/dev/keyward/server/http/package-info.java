/**
 * HTTP plumbing shared by every endpoint: strict JSON in and out, the one place that renders
 * errors, authentication of a request, and route registration with 404/405 answers in JSON.
 */
@NullMarked
package dev.keyward.server.http;

import org.jspecify.annotations.NullMarked;
