package io.share4v.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The entry point of the runtime bundle ({@code share4v bundle}): the single-node commands that run on the bundle's
 * jars alone. It must not reach Spark, Hadoop, Parquet or ND4J classes (the bundle has none), so it names its
 * commands itself instead of going through {@link Share4vCli}, whose command list does.
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
            // forward, generate, bench-step and bench-decode join here once the model runs without ND4J.
        })
public final class BundleCli implements Runnable {
    /** Commands of bin/share4v that this bundle cannot run yet, and why; anything else unknown is a typo. */
    static final Map<String, String> NOT_IN_BUNDLE = Map.of(
            "forward", "the model still needs ND4J",
            "generate", "the model still needs ND4J",
            "bench-step", "the model still needs ND4J",
            "bench-decode", "the model still needs ND4J",
            "bench-preprocess", "it is a benchmark of the full install",
            "shard", "it runs on Spark",
            "bundle", "it needs a full JDK (jlink)");

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
        return cl;
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
                            .println("share4v: '" + words.get(0) + "' is not in this bundle (yet): " + why
                                    + "; run it with bin/share4v from a full install. This bundle runs: "
                                    + String.join(", ", commands()) + ".");
                    return cl.getCommandSpec().exitCodeOnInvalidInput();
                }
            }
            return usual.handleParseException(ex, args);
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
