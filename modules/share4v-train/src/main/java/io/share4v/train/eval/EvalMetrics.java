package io.share4v.train.eval;

import io.share4v.train.metrics.ProgressEvent;
import io.share4v.train.metrics.RunProgress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One validation pass over the whole held-out split, summed over ranks (equal on every rank, times excepted).
 *
 * @param step                completed optimizer steps when it ran (the checkpoint of that number holds these
 *                            weights)
 * @param evalLoss            the token mean: every supervised token's cross-entropy summed over the split, divided by
 *                            their number (NaN when the split has no supervised token); independent of how rows are
 *                            batched
 * @param evalLossBatchMean   what HF Trainer's evaluation loop reports as {@code eval_loss}: each micro-batch's token
 *                            mean weighted by its rows (micro-batches without a supervised token, whose mean is
 *                            undefined, left out)
 * @param evalTokens          supervised tokens of the split
 * @param evalSamples         rows of the split
 * @param evalMicroBatches    micro-batches of the split
 * @param evalNanos           wall time of the pass on this rank, the sum over ranks included
 * @param evalDataStallNanos  time this rank waited for its held-out micro-batches
 */
public record EvalMetrics(
        long step,
        double evalLoss,
        double evalLossBatchMean,
        long evalTokens,
        long evalSamples,
        long evalMicroBatches,
        long evalNanos,
        long evalDataStallNanos) {
    /** The driver's record of this pass: one {@code "event": "eval"} line of {@code metrics.jsonl}. */
    public ProgressEvent.RunEvent event() {
        Map<String, Number> values = new LinkedHashMap<>();
        values.put(RunProgress.EVAL_LOSS, evalLoss);
        values.put("eval_loss_batch_mean", evalLossBatchMean);
        values.put("eval_tokens", evalTokens);
        values.put("eval_samples", evalSamples);
        values.put("eval_micro_batches", evalMicroBatches);
        values.put("eval_s", evalNanos / 1e9);
        values.put("eval_data_stall_s", evalDataStallNanos / 1e9);
        return new ProgressEvent.RunEvent(RunProgress.EVAL_EVENT, step, values);
    }
}
