/** The audit log of credential events: who did what to whom, and when. */
@NullMarked
package dev.keyward.core.audit;

import org.jspecify.annotations.NullMarked;
