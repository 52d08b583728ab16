package io.share4v.jobs;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster of separate JVMs, as a user runs one from {@code bin/make-spark-home}'s SPARK_HOME: a
 * Master and Workers started with {@code java -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*"}, each Worker launching its
 * executors as JVMs of their own, and applications submitted through Spark's submit class in client mode (the
 * driver is the submitting JVM). Spark needs no distribution for this: SPARK_HOME is only {@code jars/} (Spark's
 * closure), {@code conf/} and the Workers' work directories, plus the mandatory SPARK_SCALA_VERSION (without it
 * every executor fails with "Cannot find any build directories").
 *
 * <p>Every wait has a deadline and {@link #close()} destroys every process it started together with its
 * descendants (the executors), so a failing test leaves no JVM behind.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://\\S+)");
    private static final String MASTER_READY = "I have been elected leader";
    private static final String WORKER_READY = "Successfully registered with master";
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 60;

    private final Path home;
    private final Path logs;
    private final String scalaBinary;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> daemonLogs = new ArrayList<>();
    private String masterUrl;

    private StandaloneCluster(Path home, Path logs, String scalaBinary) {
        this.home = home;
        this.logs = logs;
        this.scalaBinary = scalaBinary;
    }

    /**
     * How a submitted application ended: the submit process's exit code, its merged stdout and stderr, and the
     * applications the Workers ran executors for meanwhile (their work directories' names: one, normally).
     */
    public record Submission(String name, int exitCode, String output, Path log, Set<String> apps) {
        /** The submission's last lines (the driver's error, if any), for a failure message. */
        public String outputTail() {
            return tail(log);
        }
    }

    /**
     * Starts a Master and {@code workers} Workers of one core and {@code workerMemory} each under {@code home} (which
     * holds {@code jars/} and {@code conf/}) and returns once all have registered; logs go to {@code home/logs}.
     */
    public static StandaloneCluster start(
            Path home, String scalaBinary, int workers, String workerMemory, Duration readiness)
            throws IOException, InterruptedException {
        StandaloneCluster c = new StandaloneCluster(home, Files.createDirectories(home.resolve("logs")), scalaBinary);
        try {
            Daemon master = c.daemon(
                    "master",
                    List.of(
                            // its REST submission server would take the fixed port 6066 (only spark-submit is used)
                            "-Dspark.master.rest.enabled=false",
                            "org.apache.spark.deploy.master.Master",
                            "--host",
                            "127.0.0.1",
                            "--port",
                            "0",
                            "--webui-port",
                            "0"));
            c.await(master, MASTER_READY, readiness);
            Matcher url = MASTER_URL.matcher(Files.readString(master.log()));
            if (!url.find()) {
                throw new AssertionError("the Master's log has no URL line\n" + c.describeLogs());
            }
            c.masterUrl = url.group(1);
            List<Daemon> started = new ArrayList<>();
            for (int w = 1; w <= workers; w++) {
                started.add(c.daemon(
                        "worker-" + w,
                        List.of(
                                "org.apache.spark.deploy.worker.Worker",
                                "--host",
                                "127.0.0.1",
                                "--port",
                                "0",
                                "--webui-port",
                                "0",
                                "--cores",
                                "1",
                                "--memory",
                                workerMemory,
                                "--work-dir",
                                c.workDir(w).toString(),
                                c.masterUrl)));
            }
            for (Daemon worker : started) {
                c.await(worker, WORKER_READY, readiness);
            }
            return c;
        } catch (Throwable e) {
            c.close();
            throw e;
        }
    }

    /** Worker {@code w}'s work directory: {@code APP_ID/EXECUTOR_ID/stderr} per executor it launched. */
    public Path workDir(int w) {
        return home.resolve("work/worker-" + w);
    }

    /**
     * Runs {@code org.apache.spark.deploy.SparkSubmit args} in client mode as a JVM of its own ({@code driverJvm}:
     * heap and the Java 17 flags, which a client-mode driver must be given itself) and waits for it; a submission
     * still running at the deadline is destroyed and fails.
     */
    public Submission submit(String name, List<String> driverJvm, List<String> args, Duration timeout)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(driverJvm);
        cmd.add("org.apache.spark.deploy.SparkSubmit");
        cmd.add("--master");
        cmd.add(masterUrl);
        cmd.add("--deploy-mode");
        cmd.add("client");
        cmd.addAll(args);
        Path log = logs.resolve(name + ".log");
        Set<String> appsBefore = apps();
        Process p = launch(cmd, log);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            destroyTree(p);
            throw new AssertionError(
                    name + ": spark-submit still running after " + timeout + "\n" + tail(log) + "\n" + describeLogs());
        }
        processes.remove(p);
        Set<String> apps = new TreeSet<>(apps());
        apps.removeAll(appsBefore);
        return new Submission(name, p.exitValue(), Files.readString(log), log, apps);
    }

    /** The applications the Workers have run executors for (the {@code app-*} directories in their work dirs). */
    private Set<String> apps() throws IOException {
        Set<String> apps = new TreeSet<>();
        try (Stream<Path> s = Files.walk(home.resolve("work"), 2)) {
            s.filter(p -> p.getFileName().toString().startsWith("app-"))
                    .forEach(p -> apps.add(p.getFileName().toString()));
        }
        return apps;
    }

    /** The last lines of every daemon's log and of every executor's stderr, for a failure message. */
    public String describeLogs() {
        StringBuilder b = new StringBuilder();
        List<Path> all = new ArrayList<>(daemonLogs);
        try (Stream<Path> s = Files.walk(home.resolve("work"))) {
            s.filter(p -> p.getFileName().toString().equals("stderr")).sorted().forEach(all::add);
        } catch (IOException e) {
            b.append("(no executor logs: ").append(e).append(")\n");
        }
        for (Path p : all) {
            b.append("==== ").append(p).append('\n').append(tail(p)).append('\n');
        }
        return b.toString();
    }

    /** Destroys every process still running and its descendants: politely, then forcibly after a grace period. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) { // submissions and Workers before the Master
            destroyTree(processes.get(i));
        }
        processes.clear();
    }

    private record Daemon(String name, Process process, Path log) {}

    private Daemon daemon(String name, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("-Xmx256m"));
        cmd.addAll(mainAndArgs);
        Path log = logs.resolve(name + ".log");
        daemonLogs.add(log);
        return new Daemon(name, launch(cmd, log), log);
    }

    private Process launch(List<String> jvmArgsMainAndArgs, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(home.resolve("conf") + ":" + home.resolve("jars") + "/*");
        cmd.addAll(jvmArgsMainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", scalaBinary);
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private void await(Daemon d, String line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!contains(d.log(), line)) {
            if (!d.process().isAlive()) {
                throw new AssertionError(d.name() + " exited with "
                        + d.process().exitValue() + " before \"" + line + "\"\n" + describeLogs());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(d.name() + ": no \"" + line + "\" within " + timeout + "\n" + describeLogs());
            }
            Thread.sleep(100);
        }
    }

    private static boolean contains(Path log, String line) {
        try {
            return Files.exists(log) && Files.readString(log).contains(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void destroyTree(Process root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception stillRunning) {
                h.destroyForcibly();
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
