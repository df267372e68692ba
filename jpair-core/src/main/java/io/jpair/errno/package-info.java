/**
 * Linux errno values and {@link io.jpair.errno.ErrnoException}, the one exception type for a
 * failed system call. Depends on nothing else in jpair; every other package may use it.
 */
package io.jpair.errno;
