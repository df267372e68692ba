/**
 * The {@code jpair} command (picocli): {@link io.jpair.cli.Main} forwards
 * {@link io.jpair.cli.Main#run} 's exit code; one class per subcommand ({@code demo},
 * {@code host}, {@code capture}) maps options to library objects and calls the library.
 * Shared {@code --verbose} and {@code -e/--errors} come from {@link io.jpair.cli.OutputOptions};
 * exit codes follow picocli's {@code CommandLine.ExitCode} (0 ok, 1 failure, 2 usage).
 *
 * <p>The top of the dependency graph: may use every exported jpair package (tuntap, pcap,
 * netlink, ethernet, ip, udp, host, reactor, transport, errno); nothing depends on it.
 */
package io.jpair.cli;
