package io.share4v.train.bench;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.train.loop.StepMetrics;
import io.share4v.train.metrics.ProgressEvent;
import java.util.Arrays;
import java.util.List;

/**
 * What the timed steps of one configuration measured, from every rank's step reports and bytes sent.
 *
 * <p>A step's wall time is its slowest rank's (the ranks leave a step together, at the end of the all-gather);
 * samples/s is the global samples of the timed steps over the sum of those wall times. Each rank's fractions are
 * its own time in communication (collective calls, waiting for a slower peer included), data stall (waiting for
 * its micro-batches) and compute (forward, backward, clipping, the optimizer update), summed over the timed steps,
 * over its step time; the rest of a step is bookkeeping. Fractions and bytes are given as the maximum and the mean
 * over ranks.
 *
 * @param timedSteps       steps after the warm-up
 * @param samplesPerSecond global samples per second of wall time
 * @param stepMsMean       mean wall time of a timed step, ms
 * @param stepMsMedian     median wall time of a timed step, ms
 * @param communication    fraction of step time waiting for communication (collective calls, buckets in flight)
 * @param hiddenCommunication reduce-scatter time behind the backward ({@code collective.overlap}), as a fraction of
 *                         step time
 * @param dataStall        fraction of step time waiting for data
 * @param compute          fraction of step time computing
 * @param bytesPerStep     payload bytes a rank sent per step
 */
record StepStats(
        int timedSteps,
        double samplesPerSecond,
        double stepMsMean,
        double stepMsMedian,
        MaxMean communication,
        MaxMean hiddenCommunication,
        MaxMean dataStall,
        MaxMean compute,
        MaxMean bytesPerStep) {

    /** The maximum and the mean of a measure over ranks. */
    record MaxMean(double max, double mean) {
        static MaxMean of(double[] perRank) {
            return new MaxMean(
                    Arrays.stream(perRank).max().orElseThrow(),
                    Arrays.stream(perRank).average().orElseThrow());
        }
    }

    /**
     * One rank's step as it reports it ({@link ProgressEvent.Step}: its own times; the global batch's values on rank
     * 0) and the bytes its collective had sent in all when the step ended.
     */
    record Sample(ProgressEvent.Step step, long bytesSentSoFar) {
        /** Rank {@code rank}'s report of {@code m}. */
        static Sample of(int rank, StepMetrics m, long bytesSentSoFar) {
            return new Sample(ProgressEvent.Step.of(rank, m), bytesSentSoFar);
        }
    }

    /**
     * The statistics of the steps after the first {@code warmup} of each rank's list (all ranks ran the same steps;
     * the bytes of the first timed step count from the end of the last warm-up step, so {@code warmup >= 1}).
     */
    static StepStats of(List<List<Sample>> perRank, int warmup) {
        require(!perRank.isEmpty(), "ranks", 0, ">= 1");
        require(warmup >= 1, "warm-up steps", warmup, ">= 1 (the first timed step's bytes start at its end)");
        int steps = perRank.get(0).size();
        for (List<Sample> rank : perRank) {
            require(rank.size() == steps, "steps per rank", rank.size(), "the same on every rank: " + steps);
        }
        require(steps > warmup, "steps", steps, "> the warm-up steps, " + warmup);
        int ranks = perRank.size();
        int timed = steps - warmup;
        double[] comm = new double[ranks];
        double[] hidden = new double[ranks];
        double[] stall = new double[ranks];
        double[] compute = new double[ranks];
        double[] bytes = new double[ranks];
        double[] wall = new double[timed];
        for (int r = 0; r < ranks; r++) {
            List<Sample> rank = perRank.get(r);
            double step = 0;
            double c = 0;
            double h = 0;
            double d = 0;
            double k = 0;
            for (int s = warmup; s < steps; s++) {
                ProgressEvent.RankTimes t = rank.get(s).step().times();
                step += t.stepS();
                c += t.commS();
                h += t.commHiddenS();
                d += t.dataStallS();
                k += t.computeS();
                wall[s - warmup] = Math.max(wall[s - warmup], t.stepS());
            }
            comm[r] = c / step;
            hidden[r] = h / step;
            stall[r] = d / step;
            compute[r] = k / step;
            bytes[r] =
                    (rank.get(steps - 1).bytesSentSoFar() - rank.get(warmup - 1).bytesSentSoFar()) / (double) timed;
        }
        long samples = 0;
        for (int s = warmup; s < steps; s++) {
            samples += perRank.get(0).get(s).step().global().samples();
        }
        double total = Arrays.stream(wall).sum();
        double[] sorted = wall.clone();
        Arrays.sort(sorted);
        double median = timed % 2 == 1 ? sorted[timed / 2] : (sorted[timed / 2 - 1] + sorted[timed / 2]) / 2.0;
        return new StepStats(
                timed,
                samples / total,
                total * 1e3 / timed,
                median * 1e3,
                MaxMean.of(comm),
                MaxMean.of(hidden),
                MaxMean.of(stall),
                MaxMean.of(compute),
                MaxMean.of(bytes));
    }
}
