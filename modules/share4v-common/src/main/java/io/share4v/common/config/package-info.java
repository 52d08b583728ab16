/**
 * Job and model configuration: the strict YAML/JSON mappers ({@link io.share4v.common.config.StrictYaml}), the
 * layered loader defaults &lt;- YAML &lt;- options &lt;- {@code --set} ({@link io.share4v.common.config.LayeredConfig}),
 * enums with config spellings ({@link io.share4v.common.config.ConfigName}) and the one validation message
 * ({@link io.share4v.common.config.ConfigChecks}) every config record uses.
 */
package io.share4v.common.config;
