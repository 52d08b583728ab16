package io.share4v.model.llava;

import io.share4v.tensor.ops.Kernels;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;

/** Wraps a {@link Kernels} and counts calls per method name (a proxy, so it follows the interface as it grows). */
final class CountingKernels {
    final Map<String, Integer> calls = new TreeMap<>();
    final Kernels kernels;

    CountingKernels(Kernels delegate) {
        kernels = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class},
                (proxy, method, args) -> {
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

    int count(String method) {
        return calls.getOrDefault(method, 0);
    }

    void reset() {
        calls.clear();
    }
}
