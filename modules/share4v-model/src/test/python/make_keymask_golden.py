#!/usr/bin/python3
"""Golden fixture for a pad id (0 = <unk>) INSIDE a text: the reference masks it as an attention key.

Run with Debian's interpreter (python3-torch 1.13, numpy), after make_llava_golden.py:

    /usr/bin/python3 modules/share4v-model/src/test/python/make_keymask_golden.py

In ShareGPT4V pad = <unk> = id 0 and attention_mask = input_ids != 0, so a literal <unk> in a record's text is
a masked KEY in the middle of the sequence while it keeps its query, its embedding (embed_tokens[0]), its
position id and its label. This script takes the golden tiny model's float32 weights (golden/tiny/weights,
read back, not regenerated) and the golden batch with a few text ids replaced by 0 (one supervised, one in a
prompt, two adjacent ones in the text-only sample), runs llava_torch.forward in float64 with that mask, and
writes golden/tiny-keymask/ (see README.md there). It writes nothing under golden/tiny/.

Self-checks: the masking changes the result (the same batch with those keys unmasked differs), and float64
gradients agree with central finite differences on a few coordinates.
"""
import collections
import json
import os

import numpy as np
import torch

from llava_torch import IGNORE_INDEX, forward
from make_llava_golden import SPEC, make_batch

torch.set_num_threads(1)

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.normpath(os.path.join(HERE, "..", "resources", "golden", "tiny"))
OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "golden", "tiny-keymask"))

# (sample, position in input_ids) set to 0; labels follow the ids where they are supervised
INNER_PADS = [(0, 7), (0, 11), (1, 2), (1, 5)]
GRADS = ["model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.k_proj.weight",
         "model.layers.0.self_attn.v_proj.weight", "model.layers.1.mlp.down_proj.weight",
         "model.mm_projector.0.weight", "model.norm.weight"]


def load_weights():
    names = [f[:-len(".npy")] for f in sorted(os.listdir(os.path.join(GOLDEN, "weights")))]
    return collections.OrderedDict((n, torch.from_numpy(np.load(os.path.join(GOLDEN, "weights", n + ".npy"))))
                                   for n in names)


def keymask_batch():
    input_ids, labels, _, images = make_batch()
    for b, t in INNER_PADS:
        assert input_ids[b, t] != 0 and input_ids[b, t + 1] != 0, (b, t)
        input_ids[b, t] = 0
        if labels[b, t] != IGNORE_INDEX:
            labels[b, t] = 0
    return input_ids, labels, input_ids.ne(0), images


def save(rel, arr):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, np.ascontiguousarray(arr))


def main():
    W = load_weights()
    input_ids, labels, mask, images = keymask_batch()
    P = collections.OrderedDict((k, v.double().requires_grad_(True)) for k, v in W.items())
    acts = {}
    logits, loss = forward(SPEC, P, input_ids, labels, mask, images.double(), acts)
    acts["inputs_embeds"].retain_grad()
    loss.backward()

    save("inputs/input_ids.npy", input_ids.numpy().astype("<i8"))
    save("inputs/labels.npy", labels.numpy().astype("<i8"))
    save("spliced/attention_mask.npy", acts["attention_mask"].numpy().astype("<i4"))
    save("fp64/logits.npy", logits.detach().numpy().astype("<f8"))
    save("fp64/loss.npy", np.array(loss.item(), dtype="<f8"))
    save("fp64/d_inputs_embeds.npy", acts["inputs_embeds"].grad.numpy().astype("<f8"))
    save("fp64/grads/model.embed_tokens.weight.row0.npy", P["model.embed_tokens.weight"].grad[0].numpy().astype("<f8"))
    for n in GRADS:
        save("fp64/grads/" + n + ".npy", P[n].grad.numpy().astype("<f8"))

    with torch.no_grad():
        Pd = collections.OrderedDict((k, v.double()) for k, v in W.items())
        right_padding_only = make_batch()[2]  # the golden batch's mask: the same ids with no inner pad masked
        unmasked, _ = forward(SPEC, Pd, input_ids, labels, right_padding_only, images.double(), {})
        effect = (unmasked - logits).abs().max().item()
        assert effect > 1e-3, effect
        g = torch.Generator().manual_seed(11)
        fd_worst = 0.0
        for n in GRADS + ["model.embed_tokens.weight"]:
            flat = Pd[n].view(-1)
            an_all = P[n].grad.reshape(-1)
            idx = [0] if n == "model.embed_tokens.weight" else []
            nz = torch.nonzero(an_all.abs() > 1e-6).view(-1)
            idx += nz[torch.randperm(len(nz), generator=g)[:3]].tolist()
            for j in idx:
                old = flat[j].item()
                h = 1e-6
                flat[j] = old + h
                lp = forward(SPEC, Pd, input_ids, labels, mask, images.double(), {})[1].item()
                flat[j] = old - h
                lm = forward(SPEC, Pd, input_ids, labels, mask, images.double(), {})[1].item()
                flat[j] = old
                an = an_all[j].item()
                fd_worst = max(fd_worst, abs((lp - lm) / (2 * h) - an) / max(abs(an), 1e-3))
        assert fd_worst < 1e-5, fd_worst

    meta = collections.OrderedDict([
        ("inner_pads", INNER_PADS),
        ("loss", loss.item()),
        ("n_supervised", acts["n_supervised"]),
        ("spliced_attention_mask_sum", acts["attention_mask"].sum(1).tolist()),
        ("max_abs_logit_change_if_the_inner_pads_were_unmasked", effect),
        ("finite_difference_max_rel_err_fp64", fd_worst),
    ])
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        f.write(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
