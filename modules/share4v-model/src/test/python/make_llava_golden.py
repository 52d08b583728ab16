#!/usr/bin/python3
"""Golden fixtures for the Java ShareGPT4V / LLaVA-1.5 model (parity tests and checkpoint loaders).

Run with Debian's interpreter (python3-torch 1.13, numpy):

    /usr/bin/python3 modules/share4v-model/src/test/python/make_llava_golden.py

It builds a TINY random model with the real structure (CLIP vision tower -> mlp2x_gelu projector -> LLaMA
decoder with GQA), runs one training batch forward and backward in float32 and in float64 with the same
weights, greedy-decodes two prompts, and writes everything under
modules/share4v-model/src/test/resources/golden/tiny/ (see golden/README.md for every file).

The model itself (plain-torch re-statement of transformers 4.31 CLIPVisionTransformer and LlamaForCausalLM and
of ShareGPT4V's splicing, spec section 5.5) and the safetensors / HF-config writers live in llava_torch.py next
to this script, shared with the benchmark scripts. Deterministic: fixed seeds, fixed inputs, no
threads-dependent reductions at these sizes (torch.set_num_threads(1) to be sure).
"""
import collections
import json
import os
import shutil

import numpy as np
import torch

from llava_torch import (CLIP_MEAN, CLIP_STD, IGNORE_INDEX, IMAGE_TOKEN_INDEX, VT, LlavaSpec, clip_vision_config,
                         forward, greedy, hf_llava_state, llava_config, make_weights, preprocessor_config,
                         safetensors_bytes, st_entry, vision_state)

torch.set_num_threads(1)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "golden", "tiny"))

# ----------------------------------------------------------------------------------------------- config

VISION = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=3, num_attention_heads=4,
              image_size=42, patch_size=14, num_channels=3, hidden_act="quick_gelu", layer_norm_eps=1e-5)
LLM = dict(vocab_size=512, hidden_size=64, intermediate_size=172, num_hidden_layers=2, num_attention_heads=8,
           num_key_value_heads=2, rms_norm_eps=1e-5, rope_theta=10000.0, max_position_embeddings=256,
           hidden_act="silu", tie_word_embeddings=False, bos_token_id=1, eos_token_id=2, pad_token_id=0)
MM = dict(mm_hidden_size=32, mm_projector_type="mlp2x_gelu", mm_vision_select_layer=-2,
          mm_vision_select_feature="patch")
GRID = VISION["image_size"] // VISION["patch_size"]
NUM_PATCHES = GRID * GRID
SPEC = LlavaSpec(VISION, LLM, MM)

# ----------------------------------------------------------------------------------------------- inputs


def make_batch():
    """Three right-padded samples (pad id 0, label pad -100), as the ShareGPT4V collator leaves them."""
    L = 14
    s0 = [1, 23, 87, 301, 45, IMAGE_TOKEN_INDEX, 13, 99, 256, 7, 410, 33, 128, 2]
    s1 = [1, 64, 17, 333, 290, 5, 71, 2]
    s2 = [1, IMAGE_TOKEN_INDEX, 13, 150, 77, 480, 2]
    prompt_len = [9, 4, 3]  # labels of the first prompt_len ids are -100
    ids, labels = [], []
    for s, pl in zip((s0, s1, s2), prompt_len):
        lab = [IGNORE_INDEX] * pl + s[pl:]
        ids.append(s + [0] * (L - len(s)))
        labels.append(lab + [IGNORE_INDEX] * (L - len(lab)))
    input_ids = torch.tensor(ids, dtype=torch.long)
    labels = torch.tensor(labels, dtype=torch.long)
    attention_mask = input_ids.ne(0)
    g = torch.Generator().manual_seed(7)
    S = VISION["image_size"]
    mean = torch.tensor(CLIP_MEAN).view(3, 1, 1)
    std = torch.tensor(CLIP_STD).view(3, 1, 1)

    def image():
        # uint8 pixels -> rescale 1/255 -> normalise, as CLIPImageProcessor does (float32 arithmetic)
        px = torch.randint(0, 256, (3, S, S), generator=g).float()
        return ((px * (1.0 / 255.0)) - mean) / std

    images = torch.stack([image(), torch.zeros(3, S, S), image()])  # sample 1 is text-only: zero image
    return input_ids, labels, attention_mask, images


# ----------------------------------------------------------------------------------------------- writers

FILES = collections.OrderedDict()


def save_npy(rel, arr):
    arr = np.ascontiguousarray(arr)
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, arr)
    FILES[rel] = {"dtype": arr.dtype.str, "shape": list(arr.shape)}


def np_of(t, dtype):
    return t.detach().cpu().numpy().astype(dtype)


def write_file(rel, data):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def write_json(rel, obj, sort_keys=True):
    write_file(rel, (json.dumps(obj, indent=2, sort_keys=sort_keys) + "\n").encode("utf-8"))


def compact_json(obj, indent=0):
    """Indented JSON in which lists of scalars stay on one line (readable batch ids, shapes)."""
    pad = " " * indent
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = ["%s  %s: %s" % (pad, json.dumps(k), compact_json(v, indent + 2)) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and any(isinstance(x, (dict, list)) for x in obj):
        items = ["%s  %s" % (pad, compact_json(v, indent + 2)) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj)


def torch_save(rel, state):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.save(state, path)


# ----------------------------------------------------------------------------------------------- checkpoints

SHARDED_DTYPES = {  # name pattern -> stored dtype in llava-sharded (everything else F32)
    "model.embed_tokens.weight": "BF16",
    "model.layers.0.self_attn.q_proj.weight": "F16", "model.layers.0.self_attn.k_proj.weight": "F16",
    "model.layers.0.self_attn.v_proj.weight": "F16", "model.layers.0.self_attn.o_proj.weight": "F16",
    "model.layers.0.mlp.gate_proj.weight": "BF16", "model.layers.0.mlp.up_proj.weight": "BF16",
    "model.layers.0.mlp.down_proj.weight": "BF16",
    "model.layers.1.self_attn.q_proj.weight": "BF16", "model.layers.1.self_attn.k_proj.weight": "BF16",
    "model.layers.1.self_attn.v_proj.weight": "BF16", "model.layers.1.self_attn.o_proj.weight": "BF16",
    "model.layers.1.mlp.gate_proj.weight": "F16", "model.layers.1.mlp.up_proj.weight": "F16",
    "model.layers.1.mlp.down_proj.weight": "F16",
    "model.layers.1.input_layernorm.weight": "BF16",
    "model.mm_projector.2.weight": "F16",
    "lm_head.weight": "BF16",
}


def write_checkpoints(W):
    ck = "checkpoints/"
    meta = {"format": "pt"}
    llava = hf_llava_state(SPEC, W)
    params_only = collections.OrderedDict((k, v) for k, v in llava.items() if not k.endswith("rotary_emb.inv_freq"))

    # llava-safetensors: one F32 file, no buffers (safetensors save_pretrained drops non-persistent buffers)
    write_json(ck + "llava-safetensors/config.json", llava_config(SPEC, "float32", "../clip-vision-model"))
    write_file(ck + "llava-safetensors/model.safetensors",
               safetensors_bytes({k: st_entry(v, "F32") for k, v in params_only.items()}, meta))

    # llava-sharded: 2 shards, F32/BF16/F16 mixed
    write_json(ck + "llava-sharded/config.json", llava_config(SPEC, "bfloat16", "../clip-vision-model"))
    shard_names = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
    shards = [collections.OrderedDict(), collections.OrderedDict()]
    weight_map, total = {}, 0
    for k, v in params_only.items():
        s = 0 if (k == "model.embed_tokens.weight" or k.startswith("model.layers.0.")) else 1
        e = st_entry(v, SHARDED_DTYPES.get(k, "F32"))
        shards[s][k] = e
        weight_map[k] = shard_names[s]
        total += len(e[2])
    for s in range(2):
        write_file(ck + "llava-sharded/" + shard_names[s], safetensors_bytes(shards[s], meta))
    write_json(ck + "llava-sharded/model.safetensors.index.json", {"metadata": {"total_size": total},
                                                                    "weight_map": weight_map})

    # llava-bin: torch.save (zip + pickle) of the full state dict incl. rotary inv_freq buffers; + sharded .bin
    write_json(ck + "llava-bin/config.json", llava_config(SPEC, "float32", "../clip-model"))
    torch_save(ck + "llava-bin/pytorch_model.bin", collections.OrderedDict((k, v.clone()) for k, v in llava.items()))
    bin_names = ["pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin"]
    parts = [collections.OrderedDict(), collections.OrderedDict()]
    weight_map, total = {}, 0
    for k, v in llava.items():
        s = 0 if (k == "model.embed_tokens.weight" or k.startswith("model.layers.0.")) else 1
        # the released checkpoints are bf16 .bin shards: parameters bf16, the inv_freq buffers stay float32
        parts[s][k] = v.clone() if k.endswith("rotary_emb.inv_freq") else v.to(torch.bfloat16)
        weight_map[k] = bin_names[s]
        total += parts[s][k].numel() * parts[s][k].element_size()
    for s in range(2):
        torch_save(ck + "llava-bin/" + bin_names[s], parts[s])
    write_json(ck + "llava-bin/pytorch_model.bin.index.json", {"metadata": {"total_size": total},
                                                               "weight_map": weight_map})

    # clip-vision-model: CLIPVisionModel layout; pytorch_model.bin from named_parameters() (no buffers)
    vs = vision_state(W)
    cfg = clip_vision_config(SPEC, flat=True)
    write_json(ck + "clip-vision-model/config.json", cfg)
    write_json(ck + "clip-vision-model/preprocessor_config.json", preprocessor_config(SPEC))
    torch_save(ck + "clip-vision-model/pytorch_model.bin", collections.OrderedDict((k, v.clone()) for k, v in vs.items()))

    # clip-model: CLIPModel layout with text tower, projections, logit_scale and position_ids buffers to ignore
    g = torch.Generator().manual_seed(99)
    tc = {"attention_dropout": 0.0, "bos_token_id": 0, "dropout": 0.0, "eos_token_id": 2, "hidden_act": "quick_gelu",
          "hidden_size": 24, "initializer_factor": 1.0, "initializer_range": 0.02, "intermediate_size": 48,
          "layer_norm_eps": 1e-5, "max_position_embeddings": 8, "model_type": "clip_text_model",
          "num_attention_heads": 2, "num_hidden_layers": 1, "pad_token_id": 1, "projection_dim": 16, "vocab_size": 40}
    full = {"architectures": ["CLIPModel"], "initializer_factor": 1.0, "logit_scale_init_value": 2.6592,
            "model_type": "clip", "projection_dim": 16, "text_config": tc, "vision_config": clip_vision_config(SPEC, False),
            "torch_dtype": "float32", "transformers_version": "4.31.0"}
    write_json(ck + "clip-model/config.json", full)
    write_json(ck + "clip-model/preprocessor_config.json", preprocessor_config(SPEC))
    t = collections.OrderedDict()

    def rnd(*shape):
        return 0.1 * torch.randn(shape, generator=g)

    t["text_model.embeddings.token_embedding.weight"] = st_entry(rnd(40, 24), "F32")
    t["text_model.embeddings.position_embedding.weight"] = st_entry(rnd(8, 24), "F32")
    t["text_model.embeddings.position_ids"] = st_entry(torch.arange(8).view(1, 8), "I64")
    for n, shape in (("self_attn.q_proj", (24, 24)), ("self_attn.k_proj", (24, 24)), ("self_attn.v_proj", (24, 24)),
                     ("self_attn.out_proj", (24, 24)), ("mlp.fc1", (48, 24)), ("mlp.fc2", (24, 48))):
        t["text_model.encoder.layers.0.%s.weight" % n] = st_entry(rnd(*shape), "F32")
        t["text_model.encoder.layers.0.%s.bias" % n] = st_entry(rnd(shape[0]), "F32")
    for n in ("layer_norm1", "layer_norm2"):
        t["text_model.encoder.layers.0.%s.weight" % n] = st_entry(1 + rnd(24), "F32")
        t["text_model.encoder.layers.0.%s.bias" % n] = st_entry(rnd(24), "F32")
    t["text_model.final_layer_norm.weight"] = st_entry(1 + rnd(24), "F32")
    t["text_model.final_layer_norm.bias"] = st_entry(rnd(24), "F32")
    for k, v in vs.items():
        t[k] = st_entry(v, "F32")
    t["vision_model.embeddings.position_ids"] = st_entry(torch.arange(NUM_PATCHES + 1).view(1, -1), "I64")
    t["visual_projection.weight"] = st_entry(rnd(16, 32), "F32")
    t["text_projection.weight"] = st_entry(rnd(16, 24), "F32")
    t["logit_scale"] = st_entry(torch.tensor(2.6592), "F32")
    write_file(ck + "clip-model/model.safetensors", safetensors_bytes(t, meta))

    # LLaVA-1.5 stage-1 output: the projector alone
    torch_save(ck + "mm_projector.bin", collections.OrderedDict(
        (k, W[k].clone()) for k in ("model.mm_projector.0.weight", "model.mm_projector.0.bias",
                                    "model.mm_projector.2.weight", "model.mm_projector.2.bias")))
    return {k: SHARDED_DTYPES.get(k, "F32") for k in params_only}


# ----------------------------------------------------------------------------------------------- main

SEMANTICS = collections.OrderedDict([
    ("weights", "one float32 weight set (weights/<full LLaVA name>.npy); the fp64 run uses the same values widened "
                "exactly to float64"),
    ("vision", "images [N=3,3,42,42] all go through the tower (sample 1's zero image too, its features discarded); "
               "vision_hidden_states [L+1,N,P+1,C]: entry 0 = embeddings after pre_layrnorm, entry i = output of "
               "encoder layer i-1; select layer -2 = entry 2; vision_features = entry[-2][:, 1:] ('patch'); "
               "image_features = projector(vision_features) [N,9,64]"),
    ("splice", "for each sample: no -200 -> embed(ids) unchanged (all L ids incl. its text padding id 0, embedded "
               "with row 0 of embed_tokens); else every -200 at p -> embed(ids[:p]) ++ image_features[k] ++ ... with "
               "labels -100 on the image rows; image index k advances for text-only samples too. Rows are then "
               "right-padded to T' with ZERO vectors and labels -100. attention_mask' = [1]*(len_b - L) ++ "
               "(input_ids != 0) ++ [0]*(T' - len_b) = a prefix of ones of length spliced_valid_length[b]"),
    ("positions", "position ids are arange(T') for every row regardless of padding"),
    ("attention", "causal + key padding: query i attends keys j <= i with mask[j] = 1 (HF finfo.min additive mask); "
                  "padded query rows therefore attend all valid keys and produce ordinary, finite values"),
    ("logits", "logits [B,T',V] at EVERY position including padded ones (HF computes them; they are finite but "
               "meaningless). Compare padded positions only if your attention treats padded query rows as HF does; "
               "the positions that matter are those with spliced attention_mask 1"),
    ("loss", "shift by one: logits[:, :-1] predict labels'[:, 1:]; cross-entropy mean over targets != -100; "
             "n_supervised = that count (13). Stored loss arrays have shape [1]"),
    ("gradients", "d loss / d parameter for every parameter, whole model trainable; vision encoder layer L-1 (=2) "
                  "and post_layernorm get exactly zero (select layer -2; post_layernorm only feeds the pooled CLS). "
                  "embed_tokens row 0 (pad) gets zero. d_inputs_embeds, d_image_features, d_vision_features are "
                  "gradients of the loss w.r.t. those activations"),
    ("dtypes", "fp32 run follows HF 4.31 float32 arithmetic (RMSNorm statistics and attention softmax in float32, "
               "RoPE tables built in float32 from float32 inv_freq). fp64 run computes EVERYTHING in float64, "
               "including RMSNorm, softmax and the RoPE tables (HF would drop those to float32)"),
    ("llm_hidden_states", "HF output_hidden_states tuple: entry i < n_layers = input of decoder layer i "
                          "(entry 0 = inputs_embeds), last entry = output of the final model.norm (= final_hidden)"),
    ("rope", "rope_cos/rope_sin [T',D]: cat(freqs, freqs) layout; rotate_half pairs dim i with i + D/2"),
    ("generation", "greedy argmax, 8 new tokens, full recompute each step (batch 1, no padding, prompt re-spliced "
                   "each step); step_logits[s] = logits at the last position before choosing token s"),
])


def run(W, dtype, tag, batch, np_dtype):
    input_ids, labels, attention_mask, images = batch
    P = collections.OrderedDict((k, v.to(dtype).clone().requires_grad_(True)) for k, v in W.items())
    acts = {}
    logits, loss = forward(SPEC, P, input_ids, labels, attention_mask, images.to(dtype), acts)
    for k in ("inputs_embeds", "image_features", "vision_features"):
        acts[k].retain_grad()
    loss.backward()
    d = tag + "/"
    save_npy(d + "logits.npy", np_of(logits, np_dtype))
    save_npy(d + "loss.npy", np.array(loss.item(), dtype=np_dtype))
    save_npy(d + "vision_embeddings.npy", np_of(acts["vision_embeddings"], np_dtype))
    save_npy(d + "vision_hidden_states.npy", np_of(torch.stack(acts["vision_hidden_states"]), np_dtype))
    save_npy(d + "vision_features.npy", np_of(acts["vision_features"], np_dtype))
    save_npy(d + "image_features.npy", np_of(acts["image_features"], np_dtype))
    save_npy(d + "inputs_embeds.npy", np_of(acts["inputs_embeds"], np_dtype))
    save_npy(d + "llm_hidden_states.npy", np_of(torch.stack(acts["llm_hidden_states"]), np_dtype))
    save_npy(d + "final_hidden.npy", np_of(acts["final_hidden"], np_dtype))
    save_npy(d + "rope_cos.npy", np_of(acts["rope_cos"], np_dtype))
    save_npy(d + "rope_sin.npy", np_of(acts["rope_sin"], np_dtype))
    save_npy(d + "d_inputs_embeds.npy", np_of(acts["inputs_embeds"].grad, np_dtype))
    save_npy(d + "d_image_features.npy", np_of(acts["image_features"].grad, np_dtype))
    save_npy(d + "d_vision_features.npy", np_of(acts["vision_features"].grad, np_dtype))
    for name, p in P.items():
        g = p.grad if p.grad is not None else torch.zeros_like(p)
        save_npy(d + "grads/" + name + ".npy", np_of(g, np_dtype))
    return P, acts, logits, loss


def self_check(W, batch, results):
    """Checks that make the golden trustworthy beyond 'it ran': (1) each sample alone, unpadded, gives the same
    logits at its valid positions as inside the padded batch (masking and splicing are right); (2) float64
    gradients agree with central finite differences on a few coordinates of several parameters."""
    input_ids, labels, attention_mask, images = batch
    P = collections.OrderedDict((k, v.double()) for k, v in W.items())
    batch_logits = results["fp64"]["logits"]
    valid = results["fp64"]["acts"]["attention_mask"].sum(1).tolist()
    worst = 0.0
    with torch.no_grad():
        for b in range(input_ids.shape[0]):
            n = int(attention_mask[b].sum())
            ids = input_ids[b:b + 1, :n]
            lg, _ = forward(SPEC, P, ids, labels[b:b + 1, :n], ids.ne(0), images[b:b + 1].double(), {})
            assert lg.shape[1] == valid[b], (lg.shape, valid[b])
            worst = max(worst, (lg[0] - batch_logits[b, :valid[b]]).abs().max().item())
    assert worst < 1e-10, worst
    g = torch.Generator().manual_seed(5)
    fd_worst = 0.0
    names = [VT + "embeddings.patch_embedding.weight", VT + "encoder.layers.0.self_attn.q_proj.bias",
             VT + "encoder.layers.1.mlp.fc1.weight", VT + "pre_layrnorm.weight", "model.mm_projector.0.weight",
             "model.embed_tokens.weight", "model.layers.0.self_attn.k_proj.weight",
             "model.layers.1.input_layernorm.weight", "lm_head.weight"]
    grads = {n: np.load(os.path.join(OUT, "fp64", "grads", n + ".npy")) for n in names}
    with torch.no_grad():
        for n in names:
            flat = P[n].view(-1)
            nz = np.flatnonzero(np.abs(grads[n].reshape(-1)) > 1e-6)
            for j in nz[torch.randperm(len(nz), generator=g)[:3].numpy()]:
                old = flat[j].item()
                h = 1e-6
                flat[j] = old + h
                lp = forward(SPEC, P, input_ids, labels, attention_mask, images.double(), {})[1].item()
                flat[j] = old - h
                lm = forward(SPEC, P, input_ids, labels, attention_mask, images.double(), {})[1].item()
                flat[j] = old
                fd = (lp - lm) / (2 * h)
                an = grads[n].reshape(-1)[j]
                fd_worst = max(fd_worst, abs(fd - an) / max(abs(an), 1e-3))
    assert fd_worst < 1e-5, fd_worst
    return {"unpadded_vs_batch_max_abs_logit_diff_fp64": worst, "finite_difference_max_rel_err_fp64": fd_worst}


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    W = make_weights(SPEC)
    batch = make_batch()
    input_ids, labels, attention_mask, images = batch

    for name, t in W.items():
        save_npy("weights/" + name + ".npy", t.numpy().astype("<f4"))
    save_npy("inputs/input_ids.npy", input_ids.numpy().astype("<i8"))
    save_npy("inputs/labels.npy", labels.numpy().astype("<i8"))
    save_npy("inputs/attention_mask.npy", attention_mask.numpy().astype("<i4"))
    save_npy("inputs/images.npy", images.numpy().astype("<f4"))

    results = {}
    for dtype, tag, npd in ((torch.float32, "fp32", "<f4"), (torch.float64, "fp64", "<f8")):
        P, acts, logits, loss = run(W, dtype, tag, batch, npd)
        results[tag] = dict(loss=loss.item(), n=acts["n_supervised"], logits=logits.detach().double(), acts=acts)
    acts = results["fp32"]["acts"]
    save_npy("spliced/labels.npy", acts["labels"].numpy().astype("<i8"))
    save_npy("spliced/attention_mask.npy", acts["attention_mask"].numpy().astype("<i4"))
    save_npy("spliced/n_supervised.npy", np.array(acts["n_supervised"], dtype="<i8"))

    # greedy generation golden
    prompts = {"image": ([1, 23, 87, IMAGE_TOKEN_INDEX, 13, 99, 256], images[0]),
               "text": ([1, 64, 17, 333, 290, 5], torch.zeros_like(images[0]))}
    gen = {}
    for kind, (prompt, image) in prompts.items():
        gen[kind] = {"prompt_ids": prompt, "image": "inputs/images.npy[0]" if kind == "image" else "zeros (unused)"}
        save_npy("generate/%s_prompt_ids.npy" % kind, np.array(prompt, dtype="<i8"))
        for dtype, tag, npd in ((torch.float32, "fp32", "<f4"), (torch.float64, "fp64", "<f8")):
            P = collections.OrderedDict((k, v.to(dtype)) for k, v in W.items())
            ids, step_logits = greedy(SPEC, P, prompt, image, 8)
            save_npy("generate/%s_%s_ids.npy" % (kind, tag), np.array(ids, dtype="<i8"))
            save_npy("generate/%s_%s_step_logits.npy" % (kind, tag), np_of(step_logits, npd))
            gen[kind][tag + "_ids"] = ids

    stored_dtypes = write_checkpoints(W)
    checks = self_check(W, batch, results)

    rel_diff = (results["fp32"]["logits"] - results["fp64"]["logits"]).abs().max().item()
    manifest = collections.OrderedDict()
    manifest["description"] = ("Tiny random ShareGPT4V/LLaVA-1.5 model: golden forward/backward, generation and "
                               "checkpoint layouts. Generated by src/test/python/make_llava_golden.py.")
    manifest["torch_version"] = torch.__version__
    manifest["config"] = {"vision": VISION, "llm": LLM, "mm": MM, "image_tokens": NUM_PATCHES,
                          "image_mean": CLIP_MEAN, "image_std": CLIP_STD,
                          "ignore_index": IGNORE_INDEX, "image_token_index": IMAGE_TOKEN_INDEX}
    manifest["batch"] = {"input_ids": input_ids.tolist(), "labels": labels.tolist(),
                         "attention_mask": attention_mask.int().tolist(),
                         "images": "inputs/images.npy [3,3,42,42]; images[1] is the zero image of text-only sample 1",
                         "spliced_labels": acts["labels"].tolist(),
                         "spliced_attention_mask": acts["attention_mask"].int().tolist(),
                         "spliced_valid_length": acts["attention_mask"].sum(1).tolist()}
    manifest["results"] = {tag: {"loss": results[tag]["loss"], "n_supervised": results[tag]["n"]}
                           for tag in ("fp32", "fp64")}
    manifest["results"]["max_abs_logit_diff_fp32_vs_fp64"] = rel_diff
    manifest["self_checks"] = checks
    manifest["generation"] = gen
    manifest["parameters"] = [{"name": n, "shape": list(t.shape)} for n, t in W.items()]
    manifest["parameter_count"] = int(sum(t.numel() for t in W.values()))
    manifest["checkpoints"] = {
        "llava-safetensors": "config.json + model.safetensors (F32, LLM + projector, no vision tower, no buffers); "
                             "mm_vision_tower ../clip-vision-model (relative to the directory holding config.json)",
        "llava-sharded": "config.json + model-0000{1,2}-of-00002.safetensors + model.safetensors.index.json; "
                         "stored dtypes per tensor in sharded_dtypes (values = the F32 weights rounded to that dtype, "
                         "round-to-nearest-even)",
        "llava-bin": "config.json + pytorch_model.bin (torch.save zip+pickle of the full state dict incl. "
                     "model.layers.*.self_attn.rotary_emb.inv_freq buffers to ignore) + pytorch_model-0000{1,2}-of-00002.bin "
                     "(parameters BF16, inv_freq buffers F32) + pytorch_model.bin.index.json; mm_vision_tower ../clip-model",
        "clip-vision-model": "CLIPVisionModel: flat config (model_type clip_vision_model), preprocessor_config.json, "
                             "pytorch_model.bin with vision_model.* parameters only",
        "clip-model": "CLIPModel: config with text_config/vision_config, model.safetensors with vision_model.*, "
                      "text_model.*, visual_projection, text_projection, logit_scale (shape []) and I64 position_ids "
                      "buffers; only vision_model.* (minus position_ids) belongs to the tower",
        "mm_projector.bin": "LLaVA-1.5 stage-1 projector: torch.save of model.mm_projector.{0,2}.{weight,bias}",
    }
    manifest["sharded_dtypes"] = stored_dtypes
    manifest["tokenizer"] = ("none: the tiny vocabulary is 512 ids; tests use ids < 512 directly "
                             "(bos 1, eos 2, pad 0, image placeholder -200)")
    manifest["semantics"] = SEMANTICS
    manifest["files"] = FILES
    manifest["checkpoint_files"] = collections.OrderedDict(
        (os.path.relpath(os.path.join(root, f), OUT), os.path.getsize(os.path.join(root, f)))
        for root, _, files in sorted(os.walk(os.path.join(OUT, "checkpoints"))) for f in sorted(files))
    write_file("manifest.json", (compact_json(manifest) + "\n").encode("utf-8"))
    total = 0
    for root, _, files in os.walk(OUT):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    print("loss fp32 %.9f fp64 %.12f n=%d  max|dlogits| %.3g  total %.2f MB" % (
        results["fp32"]["loss"], results["fp64"]["loss"], results["fp32"]["n"], rel_diff, total / 1e6))
    print("generation", json.dumps(gen))
    print("checks", checks)


if __name__ == "__main__":
    main()
