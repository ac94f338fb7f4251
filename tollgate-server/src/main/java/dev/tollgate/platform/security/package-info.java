/**
 * Who is calling: service keys and end-user tokens become a {@link dev.tollgate.platform.security.Caller}
 * with a role; the role table of README's API overview is enforced here. Every capability may read the caller.
 */
@NullMarked
@NamedInterface("security")
package dev.tollgate.platform.security;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
