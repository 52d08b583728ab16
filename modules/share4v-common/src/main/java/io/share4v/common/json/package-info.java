/**
 * The one strict reader of JSON input files ({@link io.share4v.common.json.JsonFile}): duplicate keys refused,
 * typed accessors whose errors name the file, the key path, the value and the expectation.
 */
package io.share4v.common.json;
