#!/usr/bin/python3
"""Writes a random "small LLaVA" (ShareGPT4V layout) for the model benchmarks (docs/benchmarks.md).

    /usr/bin/python3 modules/share4v-model/src/test/python/make_bench_model.py --out DIR [--gqa] [--seed S]
                     [--tower-format bin|safetensors] [--force]

Not committed (about 200 MB); bin/bench-model generates it on demand into target/bench-model/. Shapes:

  LLM        LLaMA, hidden 512, 8 heads (--gqa: 2 KV heads, else 8), 4 layers, MLP 1376, vocab 32000,
             untied lm_head, RMSNorm eps 1e-5, rope_theta 10000, max_position 4096
  vision     CLIP ViT, image 224, patch 14 (16x16 = 256 patches + CLS), hidden 256, 4 heads, MLP 1024,
             4 layers, quick_gelu
  projector  mlp2x_gelu 256 -> 512 -> 512; select layer -2, feature patch (256 image tokens)

Layout written (what a released ShareGPT4V checkpoint looks like, spec 5.4, at these shapes):

  DIR/config.json            model_type share4v, mm_* keys, mm_vision_tower "vision_tower" (relative to DIR)
  DIR/model.safetensors      F32, LLM + projector (model.*, lm_head.weight), no tower, no rotary buffers
  DIR/vision_tower/          CLIPVisionModel: config.json (clip_vision_model), preprocessor_config.json,
                             pytorch_model.bin (torch.save of vision_model.*; --tower-format safetensors writes
                             model.safetensors instead)

Weights follow llava_torch.make_weights (the golden script's init rules) with the given seed; the model code and
the writers are llava_torch's, the same the golden fixtures use.
"""
import argparse
import collections
import json
import os
import shutil
import sys

import torch

from llava_torch import (LlavaSpec, clip_vision_config, hf_llava_state, llava_config, make_weights,
                         preprocessor_config, safetensors_bytes, st_entry, vision_state)

TOWER_DIR = "vision_tower"


def bench_spec(gqa):
    vision = dict(hidden_size=256, intermediate_size=1024, num_hidden_layers=4, num_attention_heads=4,
                  image_size=224, patch_size=14, num_channels=3, hidden_act="quick_gelu", layer_norm_eps=1e-5)
    llm = dict(vocab_size=32000, hidden_size=512, intermediate_size=1376, num_hidden_layers=4, num_attention_heads=8,
               num_key_value_heads=2 if gqa else 8, rms_norm_eps=1e-5, rope_theta=10000.0,
               max_position_embeddings=4096, hidden_act="silu", tie_word_embeddings=False, bos_token_id=1,
               eos_token_id=2, pad_token_id=0)
    mm = dict(mm_hidden_size=256, mm_projector_type="mlp2x_gelu", mm_vision_select_layer=-2,
              mm_vision_select_feature="patch")
    return LlavaSpec(vision, llm, mm)


def write_json(path, obj):
    with open(path, "w") as f:
        f.write(json.dumps(obj, indent=2, sort_keys=True) + "\n")


def write_model(out, gqa, seed, tower_format):
    S = bench_spec(gqa)
    W = make_weights(S, seed)
    os.makedirs(os.path.join(out, TOWER_DIR))
    name = "bench-small-share4v" + ("-gqa" if gqa else "")
    write_json(os.path.join(out, "config.json"), llava_config(S, "float32", TOWER_DIR, name))
    llava = hf_llava_state(S, W)
    params = collections.OrderedDict((k, st_entry(v, "F32")) for k, v in llava.items()
                                     if not k.endswith("rotary_emb.inv_freq"))
    with open(os.path.join(out, "model.safetensors"), "wb") as f:
        f.write(safetensors_bytes(params, {"format": "pt"}))
    tower = os.path.join(out, TOWER_DIR)
    write_json(os.path.join(tower, "config.json"), clip_vision_config(S, flat=True, projection_dim=768))
    write_json(os.path.join(tower, "preprocessor_config.json"), preprocessor_config(S))
    vs = vision_state(W)
    if tower_format == "bin":
        torch.save(collections.OrderedDict((k, v.clone()) for k, v in vs.items()),
                   os.path.join(tower, "pytorch_model.bin"))
    else:
        with open(os.path.join(tower, "model.safetensors"), "wb") as f:
            f.write(safetensors_bytes({k: st_entry(v, "F32") for k, v in vs.items()}, {"format": "pt"}))
    counts = collections.OrderedDict([
        ("vision_tower", sum(v.numel() for v in vs.values())),
        ("projector", sum(v.numel() for k, v in W.items() if k.startswith("model.mm_projector."))),
        ("llm", sum(v.numel() for k, v in W.items()
                    if not k.startswith("model.mm_projector.") and not k.startswith("model.vision_tower."))),
    ])
    counts["total"] = sum(counts.values())
    return counts


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="directory to create (must not exist unless --force)")
    ap.add_argument("--gqa", action="store_true", help="2 KV heads instead of 8 (grouped-query attention)")
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--tower-format", choices=("bin", "safetensors"), default="bin")
    ap.add_argument("--force", action="store_true", help="replace DIR if it exists")
    a = ap.parse_args(argv)
    if os.path.exists(a.out):
        if not a.force:
            sys.exit("make_bench_model: %s exists (pass --force to replace it)" % a.out)
        shutil.rmtree(a.out)
    os.makedirs(a.out)
    counts = write_model(a.out, a.gqa, a.seed, a.tower_format)
    size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(a.out) for f in fs)
    print(json.dumps({"model": a.out, "gqa": a.gqa, "seed": a.seed, "parameters": counts,
                      "bytes_on_disk": size}))


if __name__ == "__main__":
    main(sys.argv[1:])
