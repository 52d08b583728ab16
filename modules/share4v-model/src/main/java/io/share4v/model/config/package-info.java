/** Pipeline position: model. Immutable, validated architecture configs read from HF {@code config.json}. */
package io.share4v.model.config;
