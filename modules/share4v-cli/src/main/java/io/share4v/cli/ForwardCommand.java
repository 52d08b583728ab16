package io.share4v.cli;

import io.share4v.data.Tokens;
import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llava.Batch;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.SplicePlan;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.DType;
import io.share4v.tensor.Npz;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v forward}: one forward of a checkpoint on given ids, labels and preprocessed images, with the
 * logits (and the loss) written as {@code .npz}, to diff against the PyTorch reference.
 *
 * <p>Output: {@code logits} float32 {@code [B, T, V]} over the spliced stream (every {@value Tokens#IMAGE_TOKEN_INDEX}
 * replaced by the image's feature rows), right-padded to the longest sample; {@code loss} float32 scalar (the mean
 * next-token cross-entropy over supervised tokens) when the request has labels. Ragged rows are right-padded
 * with the pad id (0 in LLaVA-1.5 checkpoints, the reference collator's unk) and labels with
 * {@value Tokens#IGNORE_INDEX}, which the model masks as the reference's attention mask does.
 */
@Command(
        name = "forward",
        mixinStandardHelpOptions = true,
        description = "Run one forward of a LLaVA checkpoint on REQ.json; write logits (and loss) as .npz.")
public final class ForwardCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelRunOptions modelRun;

    @Option(
            names = "--request",
            required = true,
            description = "JSON: {\"input_ids\": [[..]], \"labels\": [[..]] (optional), \"images\": [\"a.npy\", ..]}.")
    Path request;

    @Option(names = "--out", required = true, description = "Output .npz (logits [B,T,V], loss []).")
    Path out;

    @Override
    public Integer call() throws Exception {
        ModelRequest req = ModelRequest.read(request);
        ModelDir dir = modelRun.open();
        LlavaConfig cfg = dir.config();
        int pad = cfg.llm().padTokenId();
        int[][] ids = ModelRequest.padded(req.inputIds(), pad);
        int[][] labels = ModelRequest.padded(req.labels(), Tokens.IGNORE_INDEX);
        SplicePlan plan;
        try {
            plan = SplicePlan.of(ids, labels, cfg.imageTokens(), pad, cfg.llm().vocabSize());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("request " + request + ": " + e.getMessage());
        }
        ClipVisionConfig vc = cfg.vision();
        float[][] images = req.loadImages(vc.numChannels(), vc.imageSize());

        Backend backend = modelRun.createBackend();
        LlavaModel m = dir.load(LlavaModel.Options.of(plan.batch, plan.seq, plan.images(), Trainable.none()), backend);
        LlavaModel.Output o = m.forward(Batch.of(ids, labels, images));
        Tensor logits = o.logits(); // [B, T, V]
        int[] shape = {(int) logits.size(0), (int) logits.size(1), (int) logits.size(2)};
        Npz.Writer w = Npz.writer().addFloat32("logits", shape, hostFloats(backend, logits));
        if (o.loss() != null) {
            w.addFloat32("loss", new int[] {}, new float[] {(float) o.loss().mean()});
        }
        w.write(out);
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %s: logits [%d, %d, %d]%s%n",
                        out,
                        shape[0],
                        shape[1],
                        shape[2],
                        o.loss() == null
                                ? ""
                                : String.format(
                                        ", loss %.6f over %d tokens",
                                        o.loss().mean(), o.loss().tokens()));
        return 0;
    }

    /** {@code t}'s elements on the host as float32 (a DOUBLE model's logits rounded, as the .npz holds float32). */
    private static float[] hostFloats(Backend backend, Tensor t) {
        float[] out = new float[Math.toIntExact(t.length())];
        if (t.dtype() == DType.FLOAT) {
            backend.download(out, t);
        } else {
            double[] d = new double[out.length];
            backend.download(d, t);
            for (int i = 0; i < d.length; i++) {
                out[i] = (float) d[i];
            }
        }
        return out;
    }
}
