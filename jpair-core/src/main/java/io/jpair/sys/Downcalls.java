package io.jpair.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linking of libc functions and per-thread errno capture, shared by the binding classes of this
 * package.
 *
 * <p>Every handle is linked with {@code captureCallState("errno")}, so it takes a leading capture
 * segment. {@link #capture()} returns the calling thread's segment, allocated once per thread, so
 * a call allocates nothing. {@code -Djpair.trace.sys=true} logs every downcall's result at DEBUG
 * on logger {@code io.jpair.sys} (cold paths only; the packet path is never traced).
 */
final class Downcalls {
    static final Linker LINKER = Linker.nativeLinker();
    static final boolean TRACE = Boolean.getBoolean("jpair.trace.sys");
    static final Logger LOG = LoggerFactory.getLogger("io.jpair.sys");

    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE =
        CAPTURE_LAYOUT.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CAPTURE =
        ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private Downcalls() {
    }

    /** Links a libc function whose errno is captured. */
    @SuppressWarnings("restricted")
    static MethodHandle link(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        MemorySegment symbol = LINKER.defaultLookup().find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, all);
    }

    /** The calling thread's errno capture segment. */
    static MemorySegment capture() {
        return CAPTURE.get();
    }

    /** The errno captured by the last call made with {@code capture}. */
    static int errno(MemorySegment capture) {
        return (int) ERRNO_HANDLE.get(capture, 0L);
    }

    /** Turns a C result into the jpair convention: the result when non-negative, else -errno. */
    static long result(long value, MemorySegment capture) {
        return value >= 0 ? value : -errno(capture);
    }

    /** Logs a cold-path call when tracing is on. */
    static void trace(String call, long result) {
        if (TRACE) {
            LOG.debug("{} = {}", call, result);
        }
    }

    /** Wraps a Throwable from invokeExact that cannot be a checked exception of the call. */
    static Error rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            return e;
        }
        return new AssertionError("unexpected checked exception from a downcall", t);
    }
}
