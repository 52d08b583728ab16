package io.share4v.model;

import io.share4v.tensor.ops.Kernels;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;

/** Test helper shared by the component tests: wraps a {@link Kernels} and counts calls per method name (a proxy, so it follows the interface as it grows). */
public final class CountingKernels {
    public final Map<String, Integer> calls = new TreeMap<>();
    public final Kernels kernels;

    public CountingKernels(Kernels delegate) {
        kernels = (Kernels) Proxy.newProxyInstance(
                Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("name")) {
                        calls.merge(method.getName(), 1, Integer::sum);
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    public int count(String method) {
        return calls.getOrDefault(method, 0);
    }

    public int total() {
        return calls.values().stream().mapToInt(Integer::intValue).sum();
    }

    public void reset() {
        calls.clear();
    }
}
