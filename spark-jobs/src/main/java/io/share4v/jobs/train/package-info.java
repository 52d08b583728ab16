/**
 * Pipeline position: the Spark side of training (in progress). One barrier stage places one task per worker (per
 * GPU); the tasks meet once through {@link io.share4v.jobs.train.BarrierRing} and then train with the Spark-free
 * trainer of {@code share4v-train}, which owns the step loop and every per-step exchange.
 */
package io.share4v.jobs.train;
