package io.share4v.data.text;

import java.util.Arrays;

/** Growable int array reused across calls on one thread (the encoder's output and work buffers). */
final class IntList {
    int[] a;
    int size;

    IntList(int capacity) {
        a = new int[Math.max(4, capacity)];
    }

    void add(int v) {
        if (size == a.length) a = Arrays.copyOf(a, a.length * 2);
        a[size++] = v;
    }

    void clear() {
        size = 0;
    }

    int[] toArray() {
        return Arrays.copyOf(a, size);
    }
}
