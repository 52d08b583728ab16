/**
 * Validation on a held-out split ({@code data.eval_shards}): {@link io.share4v.train.eval.EvalPlan} spreads its rows
 * over the ranks, {@link io.share4v.train.eval.ValidationLoss} runs the forward passes and sums the loss over ranks,
 * {@link io.share4v.train.eval.EvalPoints} says after which optimizer steps a run evaluates.
 */
package io.share4v.train.eval;
