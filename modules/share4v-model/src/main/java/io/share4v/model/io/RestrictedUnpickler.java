package io.share4v.model.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subset of the pickle virtual machine that {@code torch.save} emits for a state dict (protocol 2, plus
 * the few protocol-4 opcodes newer writers use), with an allow-list in place of Python's import machinery.
 * {@code GLOBAL} resolves only {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2},
 * {@code torch._utils._rebuild_parameter} and {@code torch.*Storage}; any other class or function is refused
 * at the opcode that names it, before anything could be called, so loading a checkpoint never runs code.
 * Written by hand because no Java library unpickles with an allow-list (Pyrolite instantiates what the
 * stream names).
 */
final class RestrictedUnpickler {
    /** An allow-listed Python global. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A tuple (immutable, unlike a list). */
    record Tuple(List<Object> items) {}

    /** A storage named by a persistent id: {@code archive/data/<key>}, {@code numel} elements of {@code dtype}. */
    record StorageRef(String key, DType dtype, long numel) {}

    /** The result of {@code _rebuild_tensor_v2}: a view onto a storage. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    private static final Object MARK = new Object();
    private static final Object NONE = new Object();
    private static final Global ORDERED_DICT = new Global("collections", "OrderedDict");
    private static final Global REBUILD_TENSOR = new Global("torch._utils", "_rebuild_tensor_v2");
    private static final Global REBUILD_PARAMETER = new Global("torch._utils", "_rebuild_parameter");
    private static final Set<Global> CALLABLE = Set.of(ORDERED_DICT, REBUILD_TENSOR, REBUILD_PARAMETER);

    private final String source;
    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, StorageRef> storages = new HashMap<>();

    private RestrictedUnpickler(String source, ByteBuffer in) {
        this.source = source;
        this.in = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Runs the pickle in {@code data} and returns its top-level object ({@link Map}, {@link TensorRef}, ...). */
    static Object load(String source, ByteBuffer data) {
        try {
            return new RestrictedUnpickler(source, data).run();
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new CheckpointException(
                    "pickle " + source + " ends in the middle of an opcode (truncated or corrupt)");
        }
    }

    private Object run() {
        while (true) {
            int pos = in.position();
            int op = in.get() & 0xFF;
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = in.get() & 0xFF;
                    if (proto > 5) {
                        throw fail(pos, "pickle protocol " + proto + " is unknown");
                    }
                }
                case 0x95 -> in.getLong(); // FRAME: framing is only a read-ahead hint
                case '.' -> { // STOP
                    Object top = pop(pos);
                    return top == NONE ? null : top;
                }
                case '(' -> marks.add(stack.size());
                case '}' -> push(new LinkedHashMap<Object, Object>());
                case ']' -> push(new ArrayList<Object>());
                case ')' -> push(new Tuple(List.of()));
                case 'N' -> push(NONE);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'K' -> push((long) (in.get() & 0xFF));
                case 'M' -> push((long) (in.getShort() & 0xFFFF));
                case 'J' -> push((long) in.getInt());
                case 0x8a -> push(long1(pos));
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT is big-endian
                case 'X' -> push(utf8(pos, in.getInt() & 0xFFFFFFFFL));
                case 0x8c -> push(utf8(pos, in.get() & 0xFF)); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(pos, in.getLong())); // BINUNICODE8
                case 'U' -> push(latin1(pos, in.get() & 0xFF)); // SHORT_BINSTRING (py2 str)
                case 'T' -> push(latin1(pos, in.getInt() & 0xFFFFFFFFL)); // BINSTRING
                case 'q' -> memo.put((long) (in.get() & 0xFF), peek(pos));
                case 'r' -> memo.put(in.getInt() & 0xFFFFFFFFL, peek(pos));
                case 0x94 -> memo.put((long) memo.size(), peek(pos)); // MEMOIZE
                case 'h' -> push(memoGet(pos, in.get() & 0xFF));
                case 'j' -> push(memoGet(pos, in.getInt() & 0xFFFFFFFFL));
                case 't' -> push(new Tuple(popMark(pos)));
                case 0x85 -> push(new Tuple(List.of(pop(pos))));
                case 0x86 -> {
                    Object b = pop(pos);
                    Object a = pop(pos);
                    push(new Tuple(List.of(a, b)));
                }
                case 0x87 -> {
                    Object c = pop(pos);
                    Object b = pop(pos);
                    Object a = pop(pos);
                    push(new Tuple(List.of(a, b, c)));
                }
                case 'l' -> push(new ArrayList<>(popMark(pos))); // LIST
                case 'd' -> { // DICT
                    List<Object> kv = popMark(pos);
                    Map<Object, Object> m = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < kv.size(); i += 2) {
                        m.put(kv.get(i), kv.get(i + 1));
                    }
                    push(m);
                }
                case 'a' -> {
                    Object v = pop(pos);
                    asList(pos, peek(pos)).add(v);
                }
                case 'e' -> {
                    List<Object> vs = popMark(pos);
                    asList(pos, peek(pos)).addAll(vs);
                }
                case 's' -> {
                    Object v = pop(pos);
                    Object k = pop(pos);
                    asMap(pos, peek(pos)).put(k, v);
                }
                case 'u' -> {
                    List<Object> kv = popMark(pos);
                    Map<Object, Object> m = asMap(pos, peek(pos));
                    for (int i = 0; i + 1 < kv.size(); i += 2) {
                        m.put(kv.get(i), kv.get(i + 1));
                    }
                }
                case 'c' -> push(global(pos, line(pos), line(pos)));
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(pos);
                    Object module = pop(pos);
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw fail(pos, "STACK_GLOBAL needs two strings");
                    }
                    push(global(pos, m, n));
                }
                case 'Q' -> push(persistentLoad(pos, pop(pos))); // BINPERSID
                case 'R' -> { // REDUCE
                    Object args = pop(pos);
                    Object fn = pop(pos);
                    push(reduce(pos, fn, args));
                }
                case 'b' -> { // BUILD: only the state of an OrderedDict (a state dict's _metadata) is allowed
                    Object state = pop(pos);
                    Object target = peek(pos);
                    if (!(target instanceof Map)) {
                        throw fail(pos, "BUILD on " + describe(target) + " is not allowed");
                    }
                    if (state != NONE && !(state instanceof Map)) {
                        throw fail(pos, "BUILD with state " + describe(state) + " is not allowed");
                    }
                }
                default ->
                    throw fail(
                            pos,
                            String.format(
                                    "opcode 0x%02x is not supported by this reader (not emitted by torch.save for a state dict)",
                                    op));
            }
        }
    }

    private Global global(int pos, String module, String name) {
        Global g = new Global(module, name);
        if (CALLABLE.contains(g)) {
            return g;
        }
        if (module.equals("torch") && DType.fromTorchStorage(name) != null) {
            return g;
        }
        throw new CheckpointException("refusing to load " + source + ": the pickle references " + g.qualified()
                + " (at byte " + pos + "), which is not on the allow-list (collections.OrderedDict, "
                + "torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter, torch.*Storage); "
                + "loading a checkpoint never executes code");
    }

    private Object reduce(int pos, Object fn, Object argsObj) {
        if (!(fn instanceof Global g) || !CALLABLE.contains(g)) {
            throw fail(pos, "REDUCE of " + describe(fn) + " is not allowed");
        }
        if (!(argsObj instanceof Tuple t)) {
            throw fail(pos, "REDUCE of " + g.qualified() + " needs an argument tuple, got " + describe(argsObj));
        }
        List<Object> a = t.items();
        if (g.equals(ORDERED_DICT)) {
            if (!a.isEmpty()) {
                throw fail(pos, "collections.OrderedDict called with arguments");
            }
            return new LinkedHashMap<Object, Object>();
        }
        if (g.equals(REBUILD_PARAMETER)) {
            if (a.size() != 3 || !(a.get(0) instanceof TensorRef)) {
                throw fail(pos, "torch._utils._rebuild_parameter expects (tensor, requires_grad, hooks)");
            }
            return a.get(0);
        }
        // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (a.size() < 6 || a.size() > 7 || !(a.get(0) instanceof StorageRef s) || !(a.get(1) instanceof Long off)) {
            throw fail(pos, "torch._utils._rebuild_tensor_v2 called with unexpected arguments " + describe(argsObj));
        }
        long[] size = longTuple(pos, a.get(2), "size");
        long[] stride = longTuple(pos, a.get(3), "stride");
        if (size.length != stride.length) {
            throw fail(pos, "tensor size and stride differ in rank");
        }
        if (a.get(5) instanceof Map<?, ?> hooks && !hooks.isEmpty()) {
            throw fail(pos, "tensor carries backward hooks, which would be Python code");
        }
        return new TensorRef(s, off, size, stride);
    }

    private Object persistentLoad(int pos, Object pid) {
        // ('storage', torch.<T>Storage, key, location, numel)
        if (!(pid instanceof Tuple t)
                || t.items().size() != 5
                || !"storage".equals(t.items().get(0))
                || !(t.items().get(1) instanceof Global g)
                || !(t.items().get(2) instanceof String key)
                || !(t.items().get(4) instanceof Long numel)) {
            throw fail(pos, "persistent id " + describe(pid) + " is not a torch storage reference");
        }
        DType dtype = g.module().equals("torch") ? DType.fromTorchStorage(g.name()) : null;
        if (dtype == null) {
            throw fail(pos, "persistent id names " + g.qualified() + ", not a torch storage type");
        }
        StorageRef prev = storages.get(key);
        if (prev != null) {
            if (prev.dtype() != dtype || prev.numel() != numel) {
                throw fail(pos, "storage " + key + " is declared twice with different types or sizes");
            }
            return prev;
        }
        StorageRef s = new StorageRef(key, dtype, numel);
        storages.put(key, s);
        return s;
    }

    private long[] longTuple(int pos, Object o, String what) {
        if (!(o instanceof Tuple t)) {
            throw fail(pos, "tensor " + what + " is " + describe(o) + ", expected a tuple of ints");
        }
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.items().get(i) instanceof Long v)) {
                throw fail(
                        pos, "tensor " + what + " holds " + describe(t.items().get(i)));
            }
            out[i] = v;
        }
        return out;
    }

    private long long1(int pos) {
        int n = in.get() & 0xFF;
        if (n > 8) {
            throw fail(pos, "integer of " + n + " bytes does not fit 64 bits");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (in.get() & 0xFF) << (8 * i);
        }
        if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
            v |= -1L << (8 * n); // sign-extend two's complement
        }
        return v;
    }

    private String utf8(int pos, long len) {
        return new String(bytes(pos, len), StandardCharsets.UTF_8);
    }

    private String latin1(int pos, long len) {
        return new String(bytes(pos, len), StandardCharsets.ISO_8859_1);
    }

    private byte[] bytes(int pos, long len) {
        if (len < 0 || len > in.remaining()) {
            throw fail(pos, "string of " + len + " bytes runs past the end of the pickle");
        }
        byte[] b = new byte[(int) len];
        in.get(b);
        return b;
    }

    private String line(int pos) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            byte b = in.get();
            if (b == '\n') {
                return sb.toString();
            }
            if (sb.length() > 256) {
                throw fail(pos, "GLOBAL name longer than 256 bytes");
            }
            sb.append((char) (b & 0xFF));
        }
    }

    private Object memoGet(int pos, long key) {
        Object v = memo.get(key);
        if (v == null) {
            throw fail(pos, "memo key " + key + " was never stored");
        }
        return v;
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop(int pos) {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size())) {
            throw fail(pos, "stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek(int pos) {
        if (stack.isEmpty()) {
            throw fail(pos, "stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark(int pos) {
        if (marks.isEmpty()) {
            throw fail(pos, "no MARK on the stack");
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> sub = stack.subList(m, stack.size());
        List<Object> out = new ArrayList<>(sub);
        sub.clear();
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(int pos, Object o) {
        if (o instanceof List<?> l && !(o instanceof Tuple)) {
            return (List<Object>) l;
        }
        throw fail(pos, "APPEND to " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asMap(int pos, Object o) {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw fail(pos, "SETITEM on " + describe(o));
    }

    private static String describe(Object o) {
        if (o == null || o == NONE) {
            return "None";
        }
        if (o instanceof Global g) {
            return g.qualified();
        }
        return o.getClass().getSimpleName() + " " + o;
    }

    private CheckpointException fail(int pos, String why) {
        return new CheckpointException("pickle " + source + " at byte " + pos + ": " + why);
    }
}
