package io.share4v.jobs.eval;

import io.share4v.eval.job.BenchmarkResult;
import io.share4v.eval.job.EvalConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spark-submit --class io.share4v.jobs.eval.EvalJob APP.jar --conf conf/eval.yaml --set model=DIR
 * --set benchmarks=mme,pope …}: the driver of one evaluation run ({@link EvalRun}); prints one summary line per
 * benchmark. A bad option or config key prints the problem and exits with code 2 before Spark starts.
 */
@Command(name = "EvalJob", mixinStandardHelpOptions = true, description = "Batch benchmark evaluation on Spark.")
public final class EvalJob implements Callable<Integer> {
    @Option(names = "--conf", paramLabel = "FILE.yaml", description = "evaluation config (conf/eval.yaml)")
    Path conf;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "override a config key (dotted, e.g. pope.questions=FILE, benchmarks=mme,pope; null unsets);"
                    + " repeatable")
    List<String> sets = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new EvalJob()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        EvalConfig cfg;
        try {
            cfg = EvalConfig.load(conf, null, sets).validatedForRun();
        } catch (IllegalArgumentException e) {
            System.err.println("EvalJob: " + e.getMessage());
            return 2;
        }
        SparkSession spark = SparkSession.builder().appName("share4v-eval").getOrCreate();
        try {
            for (BenchmarkResult r : EvalRun.run(spark, cfg).benchmarks()) {
                System.out.println(r.summaryLine());
            }
        } finally {
            spark.stop();
        }
        return 0;
    }
}
