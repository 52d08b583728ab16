package io.share4v.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/share4v}: one launcher, one subcommand per job or debugging tool. */
@Command(
        name = "share4v",
        mixinStandardHelpOptions = true,
        version = "share4v 0.1.0-SNAPSHOT",
        description = "Train, evaluate and serve ShareGPT4V on Apache Spark.",
        subcommands = {
            CommandLine.HelpCommand.class,
            TokenizeCommand.class,
            PixelsCommand.class,
            BenchPreprocessCommand.class,
            ShardCommand.class,
            ForwardCommand.class,
            GenerateCommand.class,
            BenchStepCommand.class,
            BenchDecodeCommand.class,
            BundleCommand.class,
            MakeTinyModelCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            ScoreCommand.class,
            ReportCommand.class,
            SubmitCommand.class,
        })
public final class Share4vCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line; tests drive subcommands through it. */
    public static CommandLine commandLine() {
        return CliErrors.oneLineErrors(new CommandLine(new Share4vCli()));
    }
}
