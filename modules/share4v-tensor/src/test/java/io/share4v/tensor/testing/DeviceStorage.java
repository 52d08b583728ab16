package io.share4v.tensor.testing;

import io.share4v.tensor.Storage;

/**
 * Memory the JVM cannot read, as a GPU backend's is: tests check that views work on it and that every host-only
 * path refuses it with a message instead of reading garbage.
 */
public final class DeviceStorage implements Storage {
    private final String backend;
    private final long bytes;

    public DeviceStorage(String backend, long bytes) {
        this.backend = backend;
        this.bytes = bytes;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public boolean isHost() {
        return false;
    }

    @Override
    public String backend() {
        return backend;
    }
}
