package io.share4v.cli;

import picocli.CommandLine;

/** How every share4v entry point (bin/share4v, the bundle's launcher) reports a failed command. */
final class CliErrors {
    private CliErrors() {}

    /** Installs the one-line error report on {@code cl} and returns it. */
    static CommandLine oneLineErrors(CommandLine cl) {
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
