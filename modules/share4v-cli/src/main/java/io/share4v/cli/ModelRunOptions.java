package io.share4v.cli;

import io.share4v.tensor.backend.Backend;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;

/**
 * What every command that runs the model takes (a picocli mixin of mixins): the checkpoint ({@code --model},
 * {@code --vision-tower}), the OpenBLAS pool ({@code --threads}) and the backend ({@code --backend}).
 */
final class ModelRunOptions {
    @Mixin
    ModelOptions model;

    @Mixin
    ThreadOptions threads;

    @Mixin
    BackendOptions backend;

    private BlasPool blasPool;

    /** The {@code --model} directory as given. */
    Path modelDir() {
        return model.model;
    }

    ModelDir open() throws IOException {
        return model.open();
    }

    /** The backend named by {@code --backend}, its BLAS pool (if it has one) sized by {@code --threads}. */
    Backend createBackend() {
        Backend b = backend.create();
        blasPool = threads.configure(b);
        return b;
    }

    /** The BLAS pool {@link #createBackend} configured; null for a backend without one. */
    BlasPool blasPool() {
        return blasPool;
    }
}
