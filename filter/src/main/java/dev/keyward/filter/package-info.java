/**
 * Keyward's decision embedded in another Java service, the third door beside the verification
 * API and the gateway: a framework-free {@link dev.keyward.filter.Decider} that asks a Keyward
 * server ({@link dev.keyward.filter.Decider#remote}) or an in-process decision function ({@link
 * dev.keyward.filter.Decider#local}), and {@link dev.keyward.filter.KeywardFilter}, a Jakarta
 * Servlet filter built on it. Every failure to decide refuses the call (fail closed, 503).
 */
@NullMarked
package dev.keyward.filter;

import org.jspecify.annotations.NullMarked;
