package io.share4v.cli;

import io.share4v.eval.report.ReportMarkdown;
import io.share4v.eval.report.Reports;
import io.share4v.eval.report.RunReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v report --run DIR}: (re)writes an evaluation run's {@code report.json}, {@code report.md} and
 * {@code report.png} from its output directory ({@code run.json}, {@code <bench>/run.json}, {@code <bench>/score.json})
 * and prints the results table (Markdown). A missing or malformed file is an error naming it (exit code 2).
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Write an evaluation run's report (report.json, report.md, report.png: the ShareGPT4V paper's"
                + " table with the published numbers beside ours) and print the table.")
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--run",
            required = true,
            paramLabel = "DIR",
            description = "The evaluation run's output directory (run.json, <benchmark>/run.json, score.json).")
    Path run;

    @Override
    public Integer call() {
        RunReport report = Reports.write(run);
        spec.commandLine().getOut().print(ReportMarkdown.resultsTable(report));
        spec.commandLine().getOut().flush();
        spec.commandLine()
                .getErr()
                .println("share4v report: wrote " + run.resolve(Reports.JSON) + ", " + Reports.MARKDOWN + " and "
                        + Reports.PNG);
        return 0;
    }
}
