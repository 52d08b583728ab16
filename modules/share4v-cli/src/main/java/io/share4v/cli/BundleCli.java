package io.share4v.cli;

import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.backend.JavaBackend;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The entry point of the runtime bundle ({@code share4v bundle}): the single-node commands that run on the bundle's
 * jars alone. It must not reach Spark, Hadoop, Parquet or ND4J classes (the bundle has none), so it names its
 * commands itself instead of going through {@link Share4vCli}, whose command list does. The model commands take
 * the same options as in bin/share4v; their backend defaults to {@code java}, the one the bundle has.
 */
@Command(
        name = "share4v",
        mixinStandardHelpOptions = true,
        version = "share4v 0.1.0-SNAPSHOT (bundle)",
        description = "Share4V single-node commands (self-contained bundle: its own Java runtime, no Spark).",
        subcommands = {
            CommandLine.HelpCommand.class,
            TokenizeCommand.class,
            PixelsCommand.class,
            ForwardCommand.class,
            GenerateCommand.class,
            BenchStepCommand.class,
            BenchDecodeCommand.class,
            MakeTinyModelCommand.class,
        })
public final class BundleCli implements Runnable {
    /** Commands of bin/share4v that this bundle does not run, and why; anything else unknown is a typo. */
    static final Map<String, String> NOT_IN_BUNDLE = Map.of(
            "bench-preprocess", "it is a benchmark of the full install",
            "shard", "it runs on Spark",
            "train", "it runs on Spark (spark-submit the application jar on a cluster)",
            "bundle", "it needs a full JDK (jlink)",
            "eval", "it runs on Spark (spark-submit io.share4v.jobs.eval.EvalJob on a cluster)",
            "score", "benchmarks are scored where their answer files are merged (the evaluation job's driver)",
            "submit", "submission files are written where the answer files are merged (the evaluation job's driver)",
            "report", "reports are written from the evaluation run's output directory (the evaluation job's driver)");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line; tests drive it in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = CliErrors.oneLineErrors(new CommandLine(new BundleCli()));
        cl.setParameterExceptionHandler(explainingMissingCommands(cl.getParameterExceptionHandler()));
        cl.setExecutionExceptionHandler(explainingMissingBackends(cl.getExecutionExceptionHandler()));
        cl.setDefaultValueProvider(arg -> isBackendOption(arg) ? bundleDefaultBackend() : null);
        return cl;
    }

    private static boolean isBackendOption(CommandLine.Model.ArgSpec arg) {
        return arg instanceof OptionSpec o && o.longestName().equals("--backend");
    }

    /** {@code -Dshare4v.kernels} when set, else java: the bundle leaves the nd4j backend out. */
    private static String bundleDefaultBackend() {
        return System.getProperty(Backends.PROPERTY, JavaBackend.NAME);
    }

    /** A bin/share4v command given to the bundle gets one line saying so; other input errors go to picocli. */
    private static IParameterExceptionHandler explainingMissingCommands(IParameterExceptionHandler usual) {
        return (ex, args) -> {
            CommandLine cl = ex.getCommandLine();
            if (ex instanceof UnmatchedArgumentException unmatched && cl.getParent() == null) {
                List<String> words = unmatched.getUnmatched();
                String why = words.isEmpty() ? null : NOT_IN_BUNDLE.get(words.get(0));
                if (why != null) {
                    cl.getErr()
                            .println("share4v: '" + words.get(0) + "' is not in this bundle: " + why
                                    + "; run it with bin/share4v from a full install. This bundle runs: "
                                    + String.join(", ", commands()) + ".");
                    return cl.getCommandSpec().exitCodeOnInvalidInput();
                }
            }
            return usual.handleParseException(ex, args);
        };
    }

    /** A --backend the bundle lacks (nd4j: its native libraries are left out) is named as such, in one line. */
    private static IExecutionExceptionHandler explainingMissingBackends(IExecutionExceptionHandler usual) {
        return (ex, cmd, parsed) -> {
            if (ex instanceof BackendOptions.Unavailable missing) {
                cmd.getErr()
                        .println("share4v " + cmd.getCommandName() + ": error: backend " + missing.name
                                + " is not in this bundle, which runs the " + JavaBackend.NAME
                                + " backend; run it with bin/share4v from a full install.");
                return 2; // as every failed command (CliErrors)
            }
            return usual.handleExecutionException(ex, cmd, parsed);
        };
    }

    /** The commands this bundle runs (help aside), in --help order. */
    static List<String> commands() {
        return new CommandLine(new BundleCli())
                .getSubcommands().keySet().stream()
                        .filter(name -> !name.equals("help"))
                        .toList();
    }
}
