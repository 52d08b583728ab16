/**
 * Pipeline position: data. The LLaVA JSON record model ({@code id}, optional {@code image},
 * {@code conversations}) and the closed set of reasons a record can be rejected for.
 */
package io.share4v.data.record;
