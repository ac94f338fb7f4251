/**
 * Cross-cutting plumbing every capability uses: the database (embedded or external), RFC 9457
 * problems, the clock, ids, idempotency and caller authentication. It holds no business rules and
 * depends on no capability module.
 */
@NullMarked
package dev.tollgate.platform;

import org.jspecify.annotations.NullMarked;
