package io.share4v.train.metrics;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.share4v.train.loop.StepMetrics;
import java.util.Map;

/**
 * What a rank reports to the driver while it trains (one small JSON line each on the wire, keys in snake_case, the
 * kind in {@code "type"}). The rank and the attempt are not in the events: they belong to the reporter (its
 * connection) that carries them.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ProgressEvent.Started.class, name = "started"),
    @JsonSubTypes.Type(value = ProgressEvent.Step.class, name = "step"),
    @JsonSubTypes.Type(value = ProgressEvent.CheckpointCommitted.class, name = "checkpoint"),
    @JsonSubTypes.Type(value = ProgressEvent.RunEvent.class, name = "event")
})
public sealed interface ProgressEvent {
    /**
     * The rank starts training (or resumes) at step {@code firstStep} (the steps completed so far) and runs until
     * {@code endStep} completed steps ({@code run.stop_after} or the end) of a run of {@code totalSteps}.
     */
    record Started(long firstStep, long endStep, long totalSteps) implements ProgressEvent {}

    /**
     * One optimizer step as one rank saw it: its own times, and, from rank 0 only (null elsewhere), the values of
     * the global batch, which are equal on every rank.
     */
    record Step(long step, RankTimes times, Global global) implements ProgressEvent {
        /** Rank {@code rank}'s report of {@code m}. */
        public static Step of(int rank, StepMetrics m) {
            RankTimes times = new RankTimes(
                    m.stepNanos() / 1e9,
                    m.dataStallNanos() / 1e9,
                    m.communicationNanos() / 1e9,
                    m.overlappedCommunicationNanos() / 1e9,
                    m.computeNanos() / 1e9);
            Global global = rank == 0
                    ? new Global(m.loss(), m.lr(), m.gradNorm(), m.clipped(), m.supervisedTokens(), m.samples())
                    : null;
            return new Step(m.step(), times, global);
        }
    }

    /**
     * One rank's times of one step, in seconds (see {@link StepMetrics}): {@code commS} is the communication the
     * step waited for, {@code commHiddenS} the reduce-scatter that ran behind the backward ({@code collective.overlap}).
     */
    record RankTimes(double stepS, double dataStallS, double commS, double commHiddenS, double computeS) {}

    /**
     * The global batch's values of one step (see {@link StepMetrics}); {@code tokens} are the supervised (loss)
     * tokens.
     */
    record Global(double loss, double lr, double gradNorm, boolean clipped, long tokens, long samples) {}

    /** Rank 0 committed the checkpoint after {@code step} completed steps. */
    record CheckpointCommitted(long step) implements ProgressEvent {}

    /**
     * Anything else a run measures at a step, such as validation results ({@code name = "eval"}, values
     * {@code {"eval_loss": 1.93, "eval_tokens": 4312, ...}}): written to {@code metrics.jsonl} as one line
     * {@code {"event": name, "step": step, ...values}}. Value names are snake_case; counts stay integers.
     */
    record RunEvent(String name, long step, Map<String, Number> values) implements ProgressEvent {
        public RunEvent {
            values = Map.copyOf(values);
        }
    }
}
