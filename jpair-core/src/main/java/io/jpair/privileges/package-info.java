/**
 * Least privilege: dropping from root to an ordinary user once devices are open
 * ({@link io.jpair.privileges.Privileges}), and reading the process's capability sets
 * ({@link io.jpair.privileges.Capabilities}). Depends on {@code io.jpair.sys} and
 * {@code io.jpair.errno}.
 */
package io.jpair.privileges;
