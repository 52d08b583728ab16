"""Checkpoint-IO fixtures for io.share4v.model.io tests (run with Debian's /usr/bin/python3, torch 1.13):

    /usr/bin/python3 gen_io_fixtures.py ../resources/io

A tiny LLaVA (vision C=8, 2 layers, 28px/14px patches; projector mlp2x_gelu; LLaMA H=12, 2 layers,
2 heads / 1 KV head, vocab 40) saved in every real layout: safetensors single/sharded in F32/F16/BF16,
torch.save .bin single/sharded (with the rotary inv_freq buffers real LLaMA checkpoints carry), a
CLIPVisionModel tower dir (.bin) and a CLIPModel tower dir (safetensors, text weights to ignore), LLaVA-1.5's
mm_projector.bin. Every value is k/64 with |k| < 128, exact in F16 and BF16, so each layout must load to
the same float32 flat buffer: expected_flat.npy, in the flat-buffer order: vision tower, projector, LLM.
Also: pickles that must be refused, a legacy (non-zip) torch.save file, views over shared storages, a
dtype file with random values, and writer goldens (the bytes CheckpointWriter must reproduce).
"""
import io
import json
import os
import pickle
import shutil
import sys
import zipfile
from collections import OrderedDict

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import st_format  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else "../resources/io"
TOWER_ID = "Lin-Chen/ShareGPT4V-7B_Pretrained_vit-large336-l12"

VC, VI, VL, VH, IMG, PATCH = 8, 16, 2, 2, 28, 14
V, H, I, L, NH, NKV = 40, 12, 20, 2, 2, 1
HD = H // NH
P = (IMG // PATCH) ** 2


def vision_names():
    pre = "model.vision_tower.vision_tower.vision_model."
    # The flat-buffer order of io.share4v.model.clip.ClipLayout: HF's named_parameters() order.
    out = [(pre + "embeddings.class_embedding", (VC,)),
           (pre + "embeddings.patch_embedding.weight", (VC, 3, PATCH, PATCH)),
           (pre + "embeddings.position_embedding.weight", (P + 1, VC)),
           (pre + "pre_layrnorm.weight", (VC,)), (pre + "pre_layrnorm.bias", (VC,))]
    for i in range(VL):
        lp = pre + f"encoder.layers.{i}."
        for p in ["k_proj", "v_proj", "q_proj", "out_proj"]:
            out += [(lp + f"self_attn.{p}.weight", (VC, VC)), (lp + f"self_attn.{p}.bias", (VC,))]
        out += [(lp + "layer_norm1.weight", (VC,)), (lp + "layer_norm1.bias", (VC,)),
                (lp + "mlp.fc1.weight", (VI, VC)), (lp + "mlp.fc1.bias", (VI,)),
                (lp + "mlp.fc2.weight", (VC, VI)), (lp + "mlp.fc2.bias", (VC,)),
                (lp + "layer_norm2.weight", (VC,)), (lp + "layer_norm2.bias", (VC,))]
    out += [(pre + "post_layernorm.weight", (VC,)), (pre + "post_layernorm.bias", (VC,))]
    return out


def projector_names():
    return [("model.mm_projector.0.weight", (H, VC)), ("model.mm_projector.0.bias", (H,)),
            ("model.mm_projector.2.weight", (H, H)), ("model.mm_projector.2.bias", (H,))]


def llm_names():
    out = [("model.embed_tokens.weight", (V, H))]
    for i in range(L):
        lp = f"model.layers.{i}."
        out += [(lp + "self_attn.q_proj.weight", (H, H)), (lp + "self_attn.k_proj.weight", (NKV * HD, H)),
                (lp + "self_attn.v_proj.weight", (NKV * HD, H)), (lp + "self_attn.o_proj.weight", (H, H)),
                (lp + "mlp.gate_proj.weight", (I, H)), (lp + "mlp.up_proj.weight", (I, H)),
                (lp + "mlp.down_proj.weight", (H, I)),
                (lp + "input_layernorm.weight", (H,)), (lp + "post_attention_layernorm.weight", (H,))]
    out += [("model.norm.weight", (H,)), ("lm_head.weight", (V, H))]
    return out


LAYOUT = vision_names() + projector_names() + llm_names()


def values():
    g = torch.Generator().manual_seed(1234)
    out = OrderedDict()
    for name, shape in LAYOUT:
        k = torch.randint(-127, 128, shape, generator=g).float()
        out[name] = k / 64.0
    return out


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")


def llava_config(tower=TOWER_ID, **over):
    c = {
        "_name_or_path": "tiny-share4v", "architectures": ["Share4VLlamaForCausalLM"], "model_type": "share4v",
        "bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0, "hidden_act": "silu", "hidden_size": H,
        "initializer_range": 0.02, "intermediate_size": I, "max_position_embeddings": 64,
        "num_attention_heads": NH, "num_hidden_layers": L, "num_key_value_heads": NKV, "pretraining_tp": 1,
        "rms_norm_eps": 1e-05, "rope_scaling": None, "tie_word_embeddings": False, "torch_dtype": "float32",
        "transformers_version": "4.31.0", "use_cache": True, "vocab_size": V,
        "freeze_mm_mlp_adapter": False, "image_aspect_ratio": "pad", "image_grid_pinpoints": None,
        "mm_hidden_size": VC, "mm_projector_lr": None, "mm_projector_type": "mlp2x_gelu",
        "mm_use_im_patch_token": False, "mm_use_im_start_end": False, "mm_vision_select_feature": "patch",
        "mm_vision_select_layer": -2, "mm_vision_tower": tower, "tune_entire_model": False,
        "tune_mm_mlp_adapter": False, "tune_vision_tower": False, "use_mm_proj": True, "vision_tower_lr": None,
    }
    c.update(over)
    return c


def clip_vision_config():
    return {"_name_or_path": TOWER_ID, "architectures": ["CLIPVisionModel"], "attention_dropout": 0.0,
            "dropout": 0.0, "hidden_act": "quick_gelu", "hidden_size": VC, "image_size": IMG,
            "initializer_factor": 1.0, "initializer_range": 0.02, "intermediate_size": VI,
            "layer_norm_eps": 1e-05, "model_type": "clip_vision_model", "num_attention_heads": VH,
            "num_channels": 3, "num_hidden_layers": VL, "patch_size": PATCH, "projection_dim": 6,
            "torch_dtype": "float32", "transformers_version": "4.31.0"}


def clip_model_config():
    vc = clip_vision_config()
    for k in ["_name_or_path", "architectures", "torch_dtype", "transformers_version"]:
        vc.pop(k)
    return {"_name_or_path": "openai/clip-tiny", "architectures": ["CLIPModel"], "initializer_factor": 1.0,
            "logit_scale_init_value": 2.6592, "model_type": "clip", "projection_dim": 6,
            "text_config": {"hidden_size": 10, "intermediate_size": 20, "num_attention_heads": 2,
                            "num_hidden_layers": 1, "max_position_embeddings": 7, "vocab_size": 50,
                            "model_type": "clip_text_model"},
            "torch_dtype": "float32", "transformers_version": "4.31.0", "vision_config": vc}


def strip(prefix, d):
    return OrderedDict((k[len(prefix):], v) for k, v in d.items() if k.startswith(prefix))


def llm_part(vals):
    return OrderedDict((k, v) for k, v in vals.items() if not k.startswith("model.vision_tower."))


def with_inv_freq(sd):
    out = OrderedDict()
    inv = 1.0 / (10000 ** (torch.arange(0, HD, 2).float() / HD))
    for k, v in sd.items():
        out[k] = v
        if k.endswith("self_attn.o_proj.weight"):
            out[k.replace("o_proj.weight", "rotary_emb.inv_freq")] = inv.clone()
    return out


def as_dtype(sd, dt):
    return OrderedDict((k, v.to(dt).contiguous()) for k, v in sd.items())


def save_bin_sharded(sd, out_dir, max_bytes, dtype):
    blocks = st_format.shard(list(sd.items()), max_bytes)
    total = sum(t.numel() * t.element_size() for t in sd.values())
    weight_map = {}
    for i, block in enumerate(blocks):
        fn = f"pytorch_model-{i + 1:05d}-of-{len(blocks):05d}.bin"
        torch.save(OrderedDict(block), os.path.join(out_dir, fn))
        for name, _ in block:
            weight_map[name] = fn
    write_json(os.path.join(out_dir, "pytorch_model.bin.index.json"),
               {"metadata": {"total_size": total}, "weight_map": weight_map})


def fresh(path):
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)
    return path


def torch_zip(path, pickle_bytes, extra_entries=()):
    """A torch.save-shaped archive (STORED entries under archive/) around an arbitrary pickle."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", pickle_bytes)
        for name, data in extra_entries:
            z.writestr(name, data)
        z.writestr("archive/version", "3\n")


class SystemCall:
    def __reduce__(self):
        return (os.system, ("touch PWNED_BY_PICKLE",))


class Eval:
    def __reduce__(self):
        import builtins
        return (builtins.eval, ("__import__('os').system('touch PWNED_BY_PICKLE')",))


class Unknown:
    def __init__(self):
        self.x = 1


def main():
    os.makedirs(OUT, exist_ok=True)
    vals = values()
    flat = torch.cat([v.reshape(-1) for v in vals.values()]).numpy().astype("<f4")
    np.save(os.path.join(OUT, "expected_flat.npy"), flat)
    with open(os.path.join(OUT, "layout_names.txt"), "w") as f:
        for name, shape in LAYOUT:
            f.write(name + " " + ",".join(map(str, shape)) + "\n")

    tower = strip("model.vision_tower.vision_tower.", vals)  # vision_model.*
    llm = llm_part(vals)

    # --- vision towers ---
    d = fresh(os.path.join(OUT, "tower-clipvision"))
    write_json(os.path.join(d, "config.json"), clip_vision_config())
    torch.save(tower, os.path.join(d, "pytorch_model.bin"))

    d = fresh(os.path.join(OUT, "tower-clipmodel"))
    write_json(os.path.join(d, "config.json"), clip_model_config())
    clip = OrderedDict()
    g = torch.Generator().manual_seed(7)
    clip["text_model.embeddings.token_embedding.weight"] = torch.randn(50, 10, generator=g)
    clip["text_model.embeddings.position_ids"] = torch.arange(7).unsqueeze(0)
    clip.update(tower)
    clip["vision_model.embeddings.position_ids"] = torch.arange(P + 1).unsqueeze(0)
    clip["visual_projection.weight"] = torch.randn(6, VC, generator=g)
    clip["text_projection.weight"] = torch.randn(6, 10, generator=g)
    clip["logit_scale"] = torch.tensor(2.6592)
    st_format.save_file(clip, os.path.join(d, "model.safetensors"), {"format": "pt"})

    # --- LLaVA dirs (LLM + projector, no tower: like the released checkpoints) ---
    d = fresh(os.path.join(OUT, "llava-st-f32"))
    write_json(os.path.join(d, "config.json"), llava_config())
    st_format.save_file(llm, os.path.join(d, "model.safetensors"), {"format": "pt"})

    d = fresh(os.path.join(OUT, "llava-st-f16"))
    write_json(os.path.join(d, "config.json"), llava_config(tower="../tower-clipmodel", torch_dtype="float16"))
    st_format.save_file(as_dtype(llm, torch.float16), os.path.join(d, "model.safetensors"), {"format": "pt"})

    d = fresh(os.path.join(OUT, "llava-st-bf16-sharded"))
    write_json(os.path.join(d, "config.json"), llava_config(tower="../tower-clipvision", torch_dtype="bfloat16"))
    files = st_format.save_sharded(list(as_dtype(llm, torch.bfloat16).items()), d, 1500)
    assert len(files) >= 3, files

    d = fresh(os.path.join(OUT, "llava-bin"))
    write_json(os.path.join(d, "config.json"), llava_config(model_type="llava", architectures=["LlavaLlamaForCausalLM"]))
    torch.save(with_inv_freq(llm), os.path.join(d, "pytorch_model.bin"))

    d = fresh(os.path.join(OUT, "llava-bin-sharded"))
    write_json(os.path.join(d, "config.json"), llava_config(model_type="llava_llama", torch_dtype="float16"))
    save_bin_sharded(as_dtype(with_inv_freq(llm), torch.float16), d, 3000, torch.float16)

    # --- plain LLaMA (Vicuna-like) dir + LLaVA-1.5 stage-1 projector ---
    d = fresh(os.path.join(OUT, "vicuna-bin"))
    vc = llava_config()
    vc = {k: v for k, v in vc.items() if not (k.startswith("mm_") or k in (
        "freeze_mm_mlp_adapter", "image_aspect_ratio", "image_grid_pinpoints", "tune_entire_model",
        "tune_mm_mlp_adapter", "tune_vision_tower", "use_mm_proj", "vision_tower_lr"))}
    vc.update({"model_type": "llama", "architectures": ["LlamaForCausalLM"], "_name_or_path": "tiny-vicuna"})
    write_json(os.path.join(d, "config.json"), vc)
    torch.save(with_inv_freq(OrderedDict((k, v) for k, v in llm.items() if not k.startswith("model.mm_projector."))),
               os.path.join(d, "pytorch_model.bin"))
    torch.save(OrderedDict((k, v) for k, v in llm.items() if k.startswith("model.mm_projector.")),
               os.path.join(OUT, "mm_projector.bin"))

    # --- views, parameters, shared storages ---
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 8
    views = OrderedDict()
    views["base"] = base
    views["transposed"] = base.t()
    views["slice"] = base[1:3, 2:5]
    views["param"] = torch.nn.Parameter(torch.tensor([[0.5, -1.25], [2.0, 3.0]]))
    views["half_row"] = base.half()[2]
    torch.save(views, os.path.join(OUT, "views.bin"))
    for k, v in views.items():
        np.save(os.path.join(OUT, f"views_{k}.npy"), v.detach().float().contiguous().numpy())

    # --- random values in every float dtype: expected float32 / float64 widening ---
    g = torch.Generator().manual_seed(99)
    r = torch.randn(3, 5, generator=g, dtype=torch.float64) * 3
    special = torch.tensor([0.0, -0.0, 1e-7, 6.1e-5, 65504.0, float("inf"), float("-inf"), 3.0e38], dtype=torch.float64)
    dts = OrderedDict()
    for name, dt in [("f64", torch.float64), ("f32", torch.float32), ("f16", torch.float16), ("bf16", torch.bfloat16)]:
        dts[name] = r.to(dt)
        dts[name + "_special"] = special.to(dt)
    st_format.save_file(dts, os.path.join(OUT, "dtypes.safetensors"), {"format": "pt"})
    for k, v in dts.items():
        np.save(os.path.join(OUT, f"dtypes_{k}.npy"), v.to(torch.float64).numpy())
        np.save(os.path.join(OUT, f"dtypes_{k}_f32.npy"), v.to(torch.float32).numpy())

    # --- refused / broken inputs ---
    bad = fresh(os.path.join(OUT, "bad"))
    torch_zip(os.path.join(bad, "os_system.bin"), pickle.dumps({"w": SystemCall()}, protocol=2))
    torch_zip(os.path.join(bad, "builtins_eval.bin"), pickle.dumps(OrderedDict(w=Eval()), protocol=2))
    torch_zip(os.path.join(bad, "unknown_class.bin"), pickle.dumps({"w": Unknown()}, protocol=2))
    torch.save({"w": torch.ones(2)}, os.path.join(bad, "legacy.bin"), _use_new_zipfile_serialization=False)
    ok = io.BytesIO()
    torch.save(OrderedDict(w=torch.arange(6, dtype=torch.float32)), ok)
    raw = ok.getvalue()
    with open(os.path.join(bad, "truncated.bin"), "wb") as f:
        f.write(raw[: len(raw) // 2])
    st = st_format.serialize({"w": torch.arange(6, dtype=torch.float32)}, {"format": "pt"})
    with open(os.path.join(bad, "truncated.safetensors"), "wb") as f:
        f.write(st[:-4])

    # --- writer goldens: what CheckpointWriter must write for expected_flat.npy in LAYOUT order ---
    wg = fresh(os.path.join(OUT, "writer-golden"))
    no_tower = [(k, v) for k, v in vals.items() if not k.startswith("model.vision_tower.")]
    st_format.save_sharded(no_tower, wg, 2000)
    os.makedirs(os.path.join(wg, "vision_tower"))
    st_format.save_sharded(list(tower.items()), os.path.join(wg, "vision_tower"), 2000)
    wb = fresh(os.path.join(OUT, "writer-golden-bf16"))
    g = torch.Generator().manual_seed(5)
    rnd = OrderedDict((k, torch.randn(v.shape, generator=g)) for k, v in vals.items())
    np.save(os.path.join(OUT, "random_flat.npy"),
            torch.cat([v.reshape(-1) for v in rnd.values()]).numpy().astype("<f4"))
    st_format.save_sharded([(k, v.to(torch.bfloat16)) for k, v in rnd.items()
                            if not k.startswith("model.vision_tower.")], wb, 5 * 10 ** 9)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
