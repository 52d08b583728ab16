package io.share4v.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/** One {@code share4v} invocation through picocli with captured streams, as the command tests drive it. */
record CliRun(int exit, String out, String err) {
    /** Test resources of the data module (the reference fixtures). */
    static final Path DATA_TEST = Path.of("../share4v-data/src/test/resources");
    /** The real LLaMA-2 tokenizer, shipped with the bundled sample dataset. */
    static final Path TOKENIZER = Path.of("../../data-manifests/sample/tokenizer");

    static CliRun of(String... args) {
        CommandLine cl = Share4vCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString().replace("\r\n", "\n"), err.toString());
    }

    List<String> lines() {
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
}
