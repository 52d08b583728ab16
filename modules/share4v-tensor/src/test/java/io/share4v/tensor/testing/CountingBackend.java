package io.share4v.tensor.testing;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.ForwardingBackend;
import io.share4v.tensor.ops.Kernels;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;

/**
 * A backend that delegates everything and counts: kernel calls per method name (through a proxy, so it follows
 * the interface as it grows), tensor allocations and their bytes. Model tests use it to check which kernels a
 * step runs and that repeated steps allocate no tensor after warm-up.
 */
public final class CountingBackend extends ForwardingBackend {
    private final Map<String, Integer> calls = new TreeMap<>();
    private long allocations;
    private long allocatedBytes;

    public CountingBackend(Backend delegate) {
        super(delegate);
    }

    /** The delegate's kernels behind a counting proxy (a new proxy over a new kernel set each call). */
    @Override
    public Kernels kernels() {
        Kernels k = delegate().kernels();
        return (Kernels) Proxy.newProxyInstance(
                Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("name")) {
                        synchronized (calls) {
                            calls.merge(method.getName(), 1, Integer::sum);
                        }
                    }
                    try {
                        return method.invoke(k, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public synchronized Tensor allocate(DType dtype, long... shape) {
        Tensor t = delegate().allocate(dtype, shape);
        allocations++;
        allocatedBytes += t.bytes();
        return t;
    }

    /** Calls of kernel {@code method} so far. */
    public int count(String method) {
        synchronized (calls) {
            return calls.getOrDefault(method, 0);
        }
    }

    /** Kernel calls so far, all methods. */
    public int total() {
        synchronized (calls) {
            return calls.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Kernel calls per method name so far (a copy). */
    public Map<String, Integer> calls() {
        synchronized (calls) {
            return new TreeMap<>(calls);
        }
    }

    /** Tensors allocated so far. */
    public synchronized long allocations() {
        return allocations;
    }

    /** Bytes of the tensors allocated so far. */
    public synchronized long allocatedBytes() {
        return allocatedBytes;
    }

    /** Forgets the kernel calls counted so far (allocations keep counting). */
    public void reset() {
        synchronized (calls) {
            calls.clear();
        }
    }
}
