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
        CommandLine cl = new CommandLine(new Share4vCli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // Bad input is the user's to fix: one clear line, not a stack trace (set SHARE4V_DEBUG=1 for it).
            if (System.getenv("SHARE4V_DEBUG") != null) {
                ex.printStackTrace();
            }
            cmd.getErr().println("share4v " + cmd.getCommandName() + ": error: " + ex.getMessage());
            return 2;
        });
        return cl;
    }
}
