package io.share4v.jobs.train;

import io.share4v.train.collective.TcpRingCollective;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The rendezvous of a training stage's barrier tasks: each task binds its ring socket on its executor's host,
 * one {@code allGather} exchanges the addresses and rank 0's random job token, and the tasks connect into a
 * {@link TcpRingCollective}. Spark's barrier calls cost about a second each (the task polls its RPC future once per
 * second), so this is the only one a training stage makes; every per-step exchange goes over the ring.
 *
 * <p>Rank = partition id, world = the stage's task count. The token travels through Spark's own RPC to the tasks of
 * this stage only, so a stray connection to a ring port (another job, a scanner) is refused by the handshake.
 */
public final class BarrierRing {
    /** Bytes of the random job token rank 0 draws. */
    static final int TOKEN_BYTES = 32;

    private BarrierRing() {}

    /** Forms the ring of the calling barrier task's stage (blocks until every task has joined or the timeout). */
    public static TcpRingCollective form(BarrierTaskContext ctx, TcpRingCollective.Settings settings)
            throws IOException {
        int rank = ctx.partitionId();
        int world = ctx.getTaskInfos().length;
        TcpRingCollective.Listener listener = TcpRingCollective.bind(host(ctx.getTaskInfos()[rank].address()));
        try {
            String token = rank == 0 ? newToken() : "";
            String[] all = ctx.allGather(Message.of(listener.address(), token));
            List<InetSocketAddress> peers = new ArrayList<>(world);
            for (String m : all) {
                peers.add(Message.address(m));
            }
            byte[] jobToken = Base64.getDecoder().decode(Message.token(all[0]));
            return TcpRingCollective.connect(listener, rank, world, peers, jobToken, settings);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /**
     * The GPU this task was given ({@code spark.task.resource.gpu.amount=1} and a discovery script on the
     * executors), empty on CPU-only clusters.
     */
    public static Optional<String> gpuAddress(BarrierTaskContext ctx) {
        ResourceInformation gpu = ctx.resources().get("gpu").getOrElse(() -> null);
        if (gpu == null || gpu.addresses().length == 0) {
            return Optional.empty();
        }
        if (gpu.addresses().length > 1) {
            throw new IllegalStateException("task " + ctx.partitionId() + " was given " + gpu.addresses().length
                    + " GPUs; a training task uses one (spark.task.resource.gpu.amount = 1)");
        }
        return Optional.of(gpu.addresses()[0]);
    }

    /**
     * The host of an executor address {@code host:port} (Spark's RPC port, which the ring must not use: a task that
     * published it would connect to Spark's RPC server and wait forever).
     */
    static String host(String executorAddress) {
        int colon = executorAddress.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("executor address '" + executorAddress + "' is not host:port");
        }
        String host = executorAddress.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String newToken() {
        byte[] t = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(t);
        return Base64.getEncoder().encodeToString(t);
    }

    /** One task's allGather message: {@code host port token} (token empty except at rank 0). */
    static final class Message {
        private Message() {}

        static String of(InetSocketAddress address, String token) {
            return address.getHostString() + " " + address.getPort() + " " + token;
        }

        static InetSocketAddress address(String message) {
            String[] f = fields(message);
            return new InetSocketAddress(f[0], Integer.parseInt(f[1]));
        }

        static String token(String message) {
            String t = fields(message)[2];
            if (t.isEmpty()) {
                throw new IllegalStateException("rank 0 sent no job token in '" + message + "'");
            }
            return t;
        }

        private static String[] fields(String message) {
            String[] f = message.split(" ", -1);
            if (f.length != 3) {
                throw new IllegalStateException("malformed ring rendezvous message '" + message + "'");
            }
            return f;
        }
    }
}
