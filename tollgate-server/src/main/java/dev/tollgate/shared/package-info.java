/** Values every capability shares: money. Immutable, no Spring, no I/O. */
@NullMarked
package dev.tollgate.shared;

import org.jspecify.annotations.NullMarked;
