/**
 * jpair's benchmarks: JMH micro-benchmarks ({@code io.jpair.bench.jmh}), the whole-path scenario
 * harness ({@code io.jpair.bench}) and the offload programs ({@code io.jpair.bench.offload}).
 *
 * <p>The descriptor's job is the boundary: reading only {@code io.jpair.core}'s exported
 * packages, javac refuses any use of its internal {@code io.jpair.sys}. The benchmarks still run
 * from the shaded {@code benchmarks.jar} on the class path, where JMH's runner finds its
 * generated classes and {@code META-INF/BenchmarkList} the way it always does (JMH 1.37 has no
 * module descriptor or {@code Automatic-Module-Name}, so {@code jmh.core} is a file-named
 * automatic module, hence {@code -Xlint:-requires-automatic} in the pom).
 */
module io.jpair.bench {
    requires io.jpair.core;
    requires io.jpair.netty;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
    requires jmh.core;
    requires java.management;
    requires jdk.management;

    // Nothing is exported: no other module uses the benchmarks. JMH's runner instantiates its
    // generated classes reflectively, which on the module path needs this.
    opens io.jpair.bench.jmh.jmh_generated to jmh.core;
}
