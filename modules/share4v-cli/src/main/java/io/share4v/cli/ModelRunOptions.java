package io.share4v.cli;

import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.ops.Nd4jRuntime;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;

/**
 * What every command that runs the model takes (a picocli mixin of mixins): the checkpoint ({@code --model},
 * {@code --vision-tower}), the OpenBLAS pool ({@code --threads}) and the kernels ({@code --kernels}).
 */
final class ModelRunOptions {
    @Mixin
    ModelOptions model;

    @Mixin
    ThreadOptions threads;

    @Mixin
    KernelOptions kernels;

    /** The {@code --model} directory as given. */
    Path modelDir() {
        return model.model;
    }

    ModelDir open() throws IOException {
        return model.open();
    }

    /** Sizes the BLAS pool; call it before the first kernel runs. */
    Nd4jRuntime runtime() {
        return threads.runtime();
    }

    Kernels createKernels() {
        return kernels.create();
    }
}
