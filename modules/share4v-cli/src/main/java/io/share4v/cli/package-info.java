/**
 * Pipeline position: the end user's entry point. {@code bin/share4v} subcommands, each a thin call into the
 * library modules or a local run of a Spark job.
 */
package io.share4v.cli;
