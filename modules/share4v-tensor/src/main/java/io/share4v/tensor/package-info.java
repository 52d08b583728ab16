/**
 * Pipeline position: foundation. Array files ({@code .npy}) and ND4J helpers shared by data, model and train.
 */
package io.share4v.tensor;
