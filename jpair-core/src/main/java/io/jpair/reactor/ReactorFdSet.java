package io.jpair.reactor;

import java.util.List;
import java.util.Set;

/**
 * The set of selectables a reactor watches (Twisted's {@code IReactorFDSet}).
 *
 * <p>Reactor thread only (or before the reactor runs); other threads go through
 * {@link ReactorThreads#callFromThread}. Adding twice or removing something absent is a no-op.
 */
public interface ReactorFdSet {
    /**
     * Calls {@code reader.doRead()} whenever its fd is readable.
     *
     * @param reader the reader
     */
    void addReader(ReadDescriptor reader);

    /**
     * Calls {@code writer.doWrite()} whenever its fd is writable.
     *
     * @param writer the writer
     */
    void addWriter(WriteDescriptor writer);

    /**
     * Stops watching a reader.
     *
     * @param reader the reader
     */
    void removeReader(ReadDescriptor reader);

    /**
     * Stops watching a writer.
     *
     * @param writer the writer
     */
    void removeWriter(WriteDescriptor writer);

    /**
     * Stops watching everything.
     *
     * @return every reader and writer that was watched, each once
     */
    List<Selectable> removeAll();

    /**
     * The watched readers.
     *
     * @return a snapshot
     */
    Set<ReadDescriptor> getReaders();

    /**
     * The watched writers.
     *
     * @return a snapshot
     */
    Set<WriteDescriptor> getWriters();
}
