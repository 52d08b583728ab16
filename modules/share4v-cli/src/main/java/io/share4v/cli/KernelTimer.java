package io.share4v.cli;

import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.ForwardingBackend;
import io.share4v.tensor.ops.Kernels;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Wall time per {@link Kernels} method, summed over calls: a proxy around the real kernels (reflection costs
 * microseconds per call against kernels of milliseconds). Which kernels dominate a step is what a profile of
 * this model needs first; {@code bench-step --profile} prints it.
 */
final class KernelTimer {
    private final Map<String, long[]> byMethod = new TreeMap<>(); // name -> {nanos, calls}
    private boolean enabled;

    /** {@code inner} with timed kernels: memory and transfers are its own, untimed. */
    Backend wrap(Backend inner) {
        return new TimedBackend(inner);
    }

    /** The timed view of {@code inner}. */
    Kernels wrap(Kernels inner) {
        return (Kernels) Proxy.newProxyInstance(
                Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class}, (proxy, method, args) -> {
                    long t0 = enabled ? System.nanoTime() : 0;
                    try {
                        return method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (enabled) {
                            long[] acc = byMethod.computeIfAbsent(method.getName(), n -> new long[2]);
                            acc[0] += System.nanoTime() - t0;
                            acc[1]++;
                        }
                    }
                });
    }

    void enable(boolean on) {
        enabled = on;
    }

    /** Milliseconds per step of every kernel method, largest first. */
    Map<String, Double> millisPerStep(int steps) {
        Map<String, Double> out = new LinkedHashMap<>();
        byMethod.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> out.put(e.getKey(), BenchSupport.round(e.getValue()[0] / 1e6 / steps, 3)));
        return out;
    }

    long totalNanos() {
        return byMethod.values().stream().mapToLong(a -> a[0]).sum();
    }

    /** A backend that hands out timed kernels and passes everything else to the real one. */
    private final class TimedBackend extends ForwardingBackend {
        TimedBackend(Backend inner) {
            super(inner);
        }

        @Override
        public Kernels kernels() {
            return wrap(delegate().kernels());
        }
    }
}
