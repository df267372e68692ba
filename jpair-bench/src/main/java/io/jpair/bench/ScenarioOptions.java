package io.jpair.bench;

import java.util.Locale;

/**
 * What {@link Scenario} runs, parsed from its command line.
 *
 * <pre>
 * SCENARIO [--size BYTES] [--secs S] [--warmup S] [--dev DEV] [--dev2 DEV] [--traffic self|external]
 *          [--wait S] [--queue-len N] [--warm-drains N] [--mode split|virtio] [--offload] [--cpu N]
 * </pre>
 *
 * @param scenario drain, rx, echo, tx, forward or offload
 * @param size the UDP payload in bytes (64 or 1400 in the published figures); for {@code offload}
 *     the GSO segment size (default 1400)
 * @param secs the measured window in seconds (rx, echo, tx, forward)
 * @param warmup seconds of traffic before the window opens
 * @param dev the TUN device (must exist, 10.99.0.1/24, up)
 * @param dev2 the second TUN device of {@code forward}
 * @param selfTraffic true: this JVM generates its own traffic (flood, ping client, socket sink);
 *     false: a caller does ({@code bench/compare} runs the C generator)
 * @param waitSecs drain with external traffic: how long to sleep after asking for a fill
 * @param queueLength drain with self traffic: packets sent per fill (the device's txqueuelen)
 * @param warmDrains drain: fills drained before the measured one, to warm up the JIT
 * @param mode offload: {@code split} (super-packets split into wire-size packets with checksums,
 *     the default) or {@code virtio} (super-packets passed through unchanged)
 * @param offload drain, rx, echo: open the port with {@code OffloadOptions.enabled()}
 *     ({@code IFF_VNET_HDR}; echo replies of one read batch coalesced into GSO super-packets)
 * @param cpu pin the reactor thread (only) to this CPU; -1: leave it to the scheduler
 * @param netty rx, echo, tx: run through jpair-netty's {@code TunChannel} on a Netty event loop with this I/O
 *     handler ({@code epoll} or {@code io_uring}); {@code null}: through {@code TuntapPort}
 */
public record ScenarioOptions(String scenario, int size, double secs, double warmup, String dev, String dev2,
        boolean selfTraffic, double waitSecs, int queueLength, int warmDrains, String mode, boolean offload,
        int cpu, String netty) {
    /** The scenarios {@link Scenario} knows. */
    public static final String SCENARIOS = "drain|rx|echo|tx|forward|offload";

    /**
     * Parses the arguments.
     *
     * @param args as given to {@code main}
     * @return the options
     * @throws IllegalArgumentException with a usage message
     */
    public static ScenarioOptions parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException(usage());
        }
        String scenario = args[0].toLowerCase(Locale.ROOT);
        if (!("|" + SCENARIOS + "|").contains("|" + scenario + "|")) {
            throw new IllegalArgumentException("unknown scenario '" + args[0] + "'\n" + usage());
        }
        int size = scenario.equals("offload") ? 1400 : 64;
        double secs = 2;
        double warmup = 0.5;
        String dev = "tb0";
        String dev2 = "tb1";
        boolean self = false;
        double wait = 2.0;
        int queue = 200_000;
        int warmDrains = 2;
        String mode = "split";
        boolean offload = false;
        int cpu = -1;
        String netty = null;
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--size" -> size = Integer.parseInt(need(args[i], value));
                case "--secs" -> secs = Double.parseDouble(need(args[i], value));
                case "--warmup" -> warmup = Double.parseDouble(need(args[i], value));
                case "--dev" -> dev = need(args[i], value);
                case "--dev2" -> dev2 = need(args[i], value);
                case "--traffic" -> self = switch (need(args[i], value)) {
                    case "self" -> true;
                    case "external" -> false;
                    default -> throw new IllegalArgumentException("--traffic is self or external\n" + usage());
                };
                case "--wait" -> wait = Double.parseDouble(need(args[i], value));
                case "--queue-len" -> queue = Integer.parseInt(need(args[i], value));
                case "--warm-drains" -> warmDrains = Integer.parseInt(need(args[i], value));
                case "--mode" -> mode = switch (need(args[i], value)) {
                    case "split" -> "split";
                    case "virtio" -> "virtio";
                    default -> throw new IllegalArgumentException("--mode is split or virtio\n" + usage());
                };
                case "--cpu" -> cpu = Integer.parseInt(need(args[i], value));
                case "--netty" -> netty = switch (need(args[i], value)) {
                    case "epoll" -> "epoll";
                    case "io_uring" -> "io_uring";
                    default -> throw new IllegalArgumentException("--netty is epoll or io_uring\n" + usage());
                };
                case "--offload" -> {
                    offload = true;
                    continue;
                }
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'\n" + usage());
            }
            i++;
        }
        if (size < 0 || size > 1472 || secs <= 0 || secs > 600 || warmup < 0 || warmup > 60 || queue <= 0
                || warmDrains < 0 || cpu < -1 || cpu > 1023 || warmDrains > 20 || wait < 0 || wait > 60 || (scenario.equals("offload") && size == 0)) {
            throw new IllegalArgumentException("an option is out of range (size 0..1472, 1..1472 for offload, secs 0..600, warmup 0..60,"
                + " wait 0..60, warm-drains 0..20, cpu 0..1023)\n" + usage());
        }
        if (netty != null && !(scenario.equals("rx") || scenario.equals("echo") || scenario.equals("tx"))) {
            throw new IllegalArgumentException("--netty runs rx, echo and tx only\n" + usage());
        }
        return new ScenarioOptions(scenario, size, secs, warmup, dev, dev2, self, wait, queue, warmDrains, mode,
            offload, cpu, netty);
    }

    private static String need(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value\n" + usage());
        }
        return value;
    }

    /**
     * The usage text.
     *
     * @return one paragraph
     */
    public static String usage() {
        return "usage: Scenario " + SCENARIOS + " [--size BYTES] [--secs S] [--warmup S] [--dev DEV] [--dev2 DEV]\n"
            + "         [--traffic self|external] [--wait S] [--queue-len N] [--warm-drains N] [--mode split|virtio]\n"
            + "         [--offload] [--cpu N] [--netty epoll|io_uring]\n"
            + "  offload: --size is the GSO segment size (default 1400), --mode split (default) or virtio.\n"
            + "  --offload: drain/rx/echo through a port with OffloadOptions.enabled() (IFF_VNET_HDR, write coalescing).\n"
            + "  --netty: rx/echo/tx through jpair-netty's TunChannel on a Netty event loop (EpollIoHandler or IoUringIoHandler).\n"
            + "  Runs inside a network namespace holding tun DEV = 10.99.0.1/24 (peer 10.99.0.2); use bench/scenario.";
    }
}
