/**
 * Job and model configuration: the strict YAML/JSON mappers ({@link io.share4v.common.config.StrictYaml}) and
 * the one validation message ({@link io.share4v.common.config.ConfigChecks}) every config record uses.
 */
package io.share4v.common.config;
