/**
 * Pipeline position: data, before sharding. Dataset manifests ({@code data-manifests/*.yaml}) name each
 * LLaVA JSON file, its image root, template and aspect mode, and what the file is expected to hold; the
 * sharding job reads them through these validated records.
 */
package io.share4v.data.manifest;
