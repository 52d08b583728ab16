/**
 * The base of the pipeline's modules: configuration and strict JSON reading, with Jackson as the only
 * dependency.
 */
package io.share4v.common;
