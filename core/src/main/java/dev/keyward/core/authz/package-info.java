/**
 * Authorization: permissions and roles, resource patterns, key access options, the route table
 * and the one decision function that answers "may this credential do METHOD PATH on RESOURCE from
 * ORIGIN/IP now?" for the verification API, the gateway and the embedded filter alike.
 */
@NullMarked
package dev.keyward.core.authz;

import org.jspecify.annotations.NullMarked;
