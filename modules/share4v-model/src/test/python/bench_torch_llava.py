#!/usr/bin/python3
"""PyTorch side of the model benchmarks (training step, decode; docs/benchmarks.md): the plain-torch
ShareGPT4V model of llava_torch.py (the golden fixtures' model) on a checkpoint directory written by
make_bench_model.py (or any ShareGPT4V directory llava_torch.load_llava_dir reads). Run with Debian's /usr/bin/python3 (python3-torch 1.13).

    bench_torch_llava.py step   --model DIR [--batch 4] [--text-len 256] [--steps 5] [--warmup 2] [--threads K]
                                [--train all|stage1|stage2] [--foreach] [--profile-flops]
    bench_torch_llava.py decode --model DIR [--new-tokens 64] [--prompt-len 32] [--runs 3] [--threads K]
                                [--row-linear mv|addmm]
    bench_torch_llava.py gemm   [--n 2048] [--threads K]
    bench_torch_llava.py selfcheck [--golden DIR]

Every command prints one JSON line on stdout (diagnostics go to stderr).

step: one training step = AdamW zero_grad + forward (tower, projector, splice, LLaMA, shifted cross-entropy)
  + backward + AdamW step (torch.optim.AdamW, lr 2e-5, betas 0.9/0.999, eps 1e-8, wd 0: the ShareGPT4V
  recipe). Synthetic batch: B samples, each one image (random CLIP-normalised pixels) and T text tokens
  laid out as [BOS, <image>, T-1 random ids]; labels -100 on BOS and the image rows, the T-1 text ids
  supervised; no padding, so the spliced sequence is T + image_tokens for every sample. ms_per_step is the
  median of --steps timed steps after --warmup untimed ones (best also reported). --train picks what trains:
  all (everything that gets a gradient), stage1 (LLM, projector, ViT layers >= L/2), stage2 (LLM, projector;
  tower frozen).
  gflop_per_step counts matmul FLOPs (2 per multiply-add) of forward and backward: dense layers
  2 x params x tokens forward, x2 more for backward where both input and weight gradients are needed (the 6 x
  params x tokens rule), x1 more where only one of them is; attention QK^T and PV as the eager code computes
  them (full T x T squares, 4 x B x T^2 x C forward per layer); embeddings, norms, softmax, elementwise work and
  AdamW are not counted. achieved_gflops = gflop_per_step / median step time. gemm_2048_gflops: torch.mm
  2048^3 float32 at the same thread count, best of 5, in the same process after the steps.
decode: batch 1, prompt [BOS, <image>, prompt_len-1 random ids], greedy with the HF-style KV cache
  (llava_torch.greedy_cached), no EOS stop. tokens_per_s = (new_tokens - 1) / time of the cached one-token
  steps (prefill excluded: its time is prefill_ms); median over --runs after one warm-up run.

Threads: --threads K sets torch.set_num_threads(K) AND OpenBLAS's own pool (openblas_set_num_threads through
ctypes): Debian's torch does its GEMMs in the system OpenBLAS (pthreads build), whose thread count torch does not
control. openblas_core reports the kernel OpenBLAS picked (openblas_get_corename; OPENBLAS_CORETYPE overrides it).
peak_rss_mb = getrusage ru_maxrss of this process.
"""
import argparse
import collections
import ctypes
import json
import os
import resource
import statistics
import sys
import time

import numpy as np
import torch

import llava_torch as lt

HERE = os.path.dirname(os.path.abspath(__file__))


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------- environment


def openblas():
    """The OpenBLAS library torch loaded (None if torch uses another BLAS)."""
    with open("/proc/self/maps") as f:
        for line in f:
            if "libopenblas" in line and line.split()[-1].endswith(tuple(".so" + s for s in ("", ".0"))):
                lib = ctypes.CDLL(line.split()[-1])
                lib.openblas_get_corename.restype = ctypes.c_char_p
                lib.openblas_get_config.restype = ctypes.c_char_p
                return lib
    return None


def set_threads(k):
    """Returns a dict describing the BLAS/threads setup after applying k (None = leave defaults)."""
    if k is not None:
        torch.set_num_threads(k)
    lib = openblas()
    info = collections.OrderedDict(torch_threads=torch.get_num_threads())
    if lib is not None:
        if k is not None:
            lib.openblas_set_num_threads(k)
        info["openblas_threads"] = lib.openblas_get_num_threads()
        info["openblas_core"] = lib.openblas_get_corename().decode()
        info["openblas_config"] = lib.openblas_get_config().decode().strip()
    info["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE")
    info["torch"] = torch.__version__
    return info


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: kilobytes


def current_rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def loadavg():
    return [round(x, 2) for x in os.getloadavg()]


def gemm_gflops(n=2048, reps=5):
    """float32 torch.mm n x n x n: (best, median) GFLOP/s after one warm-up."""
    g = torch.Generator().manual_seed(1)
    a, b = torch.randn(n, n, generator=g), torch.randn(n, n, generator=g)
    c = torch.empty(n, n)
    torch.mm(a, b, out=c)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        torch.mm(a, b, out=c)
        times.append(time.perf_counter() - t0)
    flop = 2.0 * n ** 3
    return flop / min(times) / 1e9, flop / statistics.median(times) / 1e9


# ----------------------------------------------------------------------------------------------- FLOP count


def vision_layers_used(S):
    """Encoder layers whose output reaches the selected hidden state (HF still runs the rest)."""
    L = S.vision["num_hidden_layers"]
    sel = S.mm["mm_vision_select_layer"]
    return sel if sel >= 0 else L + 1 + sel


def trainable(S, name, mode):
    if mode == "all" or not name.startswith(lt.VT):
        return True
    if mode == "stage2":
        return False
    # stage 1 (ShareGPT4V unlock_vit): encoder layers k >= L/2 only
    prefix = lt.VT + "encoder.layers."
    if not name.startswith(prefix):
        return False
    return int(name[len(prefix):].split(".")[0]) >= S.vision["num_hidden_layers"] // 2


def step_flops(S, B, T, mode):
    """Matmul GFLOP of one forward+backward (see the module docstring); T = spliced sequence length.
    Returns an ordered dict of the parts and their total."""
    V, C, I, L = S.vision, S.vision["hidden_size"], S.vision["intermediate_size"], S.vision["num_hidden_layers"]
    Pv = S.num_patches + 1
    used = vision_layers_used(S)
    first_trainable = {"all": 0, "stage1": L // 2, "stage2": L}[mode]
    parts = collections.OrderedDict()
    # vision: patch conv (pixels never need a gradient: backward = weight gradient only, if trainable)
    conv_fwd = 2.0 * B * S.num_patches * C * 3 * V["patch_size"] ** 2
    parts["vision_patch_embed"] = conv_fwd * (2 if mode == "all" else 1)
    layer_dense = 2.0 * B * Pv * (4 * C * C + 2 * C * I)
    layer_attn = 4.0 * B * Pv * Pv * C
    vis_dense = vis_attn = 0.0
    for k in range(L):
        # layers below the first trainable one and past the selected one run forward only; from the first
        # trainable one up, inner gradients flow (a trainable LayerNorm before the first matmul needs them)
        mult = 3 if (first_trainable <= k < used) else 1
        if mode == "all" and k < used:
            mult = 3
        vis_dense += layer_dense * mult
        vis_attn += layer_attn * mult
    parts["vision_dense"] = vis_dense
    parts["vision_attention"] = vis_attn
    H = S.llm["hidden_size"]
    proj_fwd = 2.0 * B * S.num_patches * (S.mm["mm_hidden_size"] * H + H * H)
    # the projector's second linear always needs dX (for the first's weights); its first needs dX only if the
    # tower trains below it
    parts["projector"] = proj_fwd * 3 - (0 if mode != "stage2" else 2.0 * B * S.num_patches * S.mm["mm_hidden_size"] * H)
    KV = S.llm["num_key_value_heads"] * S.head_dim
    F_ = S.llm["intermediate_size"]
    nl = S.llm["num_hidden_layers"]
    tokens = B * T
    parts["llm_dense"] = 6.0 * tokens * (2 * H * H + 2 * H * KV + 3 * H * F_) * nl
    parts["llm_attention"] = 3 * 4.0 * B * T * T * H * nl
    parts["lm_head"] = 6.0 * tokens * H * S.llm["vocab_size"]
    out = collections.OrderedDict((k, v / 1e9) for k, v in parts.items())
    out["total"] = sum(parts.values()) / 1e9
    return out


# ----------------------------------------------------------------------------------------------- inputs


def synthetic_batch(S, B, T, seed=0):
    """B samples [BOS, -200, T-1 random ids], labels -100 on BOS/-200, random CLIP-normalised images."""
    g = torch.Generator().manual_seed(seed)
    V = S.llm["vocab_size"]
    text = torch.randint(3, V, (B, T - 1), generator=g)
    ids = torch.cat([torch.full((B, 1), S.llm["bos_token_id"]), torch.full((B, 1), lt.IMAGE_TOKEN_INDEX), text], 1)
    labels = ids.clone()
    labels[:, :2] = lt.IGNORE_INDEX
    mask = torch.ones_like(ids, dtype=torch.bool)
    s = S.vision["image_size"]
    px = torch.randint(0, 256, (B, 3, s, s), generator=g).float() / 255.0
    images = (px - torch.tensor(lt.CLIP_MEAN).view(1, 3, 1, 1)) / torch.tensor(lt.CLIP_STD).view(1, 3, 1, 1)
    return ids, labels, mask, images


# ----------------------------------------------------------------------------------------------- commands


def cmd_step(a):
    env = set_threads(a.threads)
    load_before = loadavg()
    S, W = lt.load_llava_dir(a.model)
    P = collections.OrderedDict((k, v.requires_grad_(trainable(S, k, a.train))) for k, v in W.items())
    params = [p for p in P.values() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=2e-5, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, foreach=a.foreach)
    ids, labels, mask, images = synthetic_batch(S, a.batch, a.text_len)
    T = a.text_len + S.image_tokens
    rss_loaded = current_rss_mb()

    def step():
        opt.zero_grad(set_to_none=True)
        acts = {}
        _, loss = lt.forward(S, P, ids, labels, mask, images, acts)
        loss.backward()
        opt.step()
        return loss.item(), acts

    losses, times = [], []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        loss, acts = step()
        dt = time.perf_counter() - t0
        assert acts["inputs_embeds"].shape[1] == T, (acts["inputs_embeds"].shape, T)
        losses.append(loss)
        if i >= a.warmup:
            times.append(dt)
        log("step %d: %.1f ms loss %.4f%s" % (i, dt * 1e3, loss, "" if i >= a.warmup else " (warm-up)"))
    rss = peak_rss_mb()
    flops = step_flops(S, a.batch, T, a.train)
    med, best = statistics.median(times), min(times)
    out = collections.OrderedDict(side="pytorch", bench="step", model=os.path.abspath(a.model))
    out.update(batch=a.batch, text_len=a.text_len, seq_len=T, train=a.train, adamw_foreach=bool(a.foreach),
               steps=a.steps, warmup=a.warmup)
    out["ms_per_step"] = round(med * 1e3, 1)
    out["ms_per_step_best"] = round(best * 1e3, 1)
    out["ms_per_step_all"] = [round(t * 1e3, 1) for t in times]
    out["peak_rss_mb"] = round(rss, 1)
    out["rss_after_load_mb"] = round(rss_loaded, 1)
    out["trainable_params"] = sum(p.numel() for p in params)
    out["total_params"] = sum(p.numel() for p in P.values())
    out["gflop_per_step"] = round(flops["total"], 2)
    out["gflop_parts"] = collections.OrderedDict((k, round(v, 2)) for k, v in flops.items() if k != "total")
    out["achieved_gflops"] = round(flops["total"] / med, 1)
    out["achieved_gflops_best"] = round(flops["total"] / best, 1)
    if a.profile_flops:
        out["profiler_gflop_per_step"] = round(profiled_gflop(step), 2)
    g_best, g_med = gemm_gflops()
    out["gemm_2048_gflops"] = round(g_best, 1)
    out["gemm_2048_gflops_median"] = round(g_med, 1)
    out["fraction_of_gemm_peak"] = round(out["achieved_gflops"] / g_best, 3)
    out["loss_first"], out["loss_last"] = round(losses[0], 5), round(losses[-1], 5)
    out["load_avg_before"], out["load_avg_after"] = load_before, loadavg()
    out.update(env)
    print(json.dumps(out), flush=True)


MATMUL_OPS = ("aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm", "aten::conv2d")


def profiled_gflop(step):
    """Matmul FLOPs torch's profiler attributes to one step, forward and backward. Only the matmul kinds count
    (the profiler also gives elementwise ops one FLOP per element); it has no formula for the convolution
    backward, so the patch conv's weight gradient is missing from this count."""
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CPU], with_flops=True) as prof:
        step()
    return sum(e.flops for e in prof.key_averages() if e.flops and e.key in MATMUL_OPS) / 1e9


def row_linear_as_mv():
    """Routes one-row linears through torch.mv (BLAS gemv). F.linear on a [1, 1, H] input runs addmm, whose
    OpenBLAS GEMM packs the whole weight for one row; gemv streams it once, like the Java side's one-row path."""
    addmm_linear = lt.linear

    def linear(x, w, b=None):
        if x.numel() != x.shape[-1]:
            return addmm_linear(x, w, b)
        y = torch.mv(w, x.reshape(-1))
        return (y if b is None else y + b).reshape(*x.shape[:-1], w.shape[0])
    lt.linear = linear


def cmd_decode(a):
    env = set_threads(a.threads)
    if a.row_linear == "mv":
        row_linear_as_mv()
    load_before = loadavg()
    S, W = lt.load_llava_dir(a.model)
    g = torch.Generator().manual_seed(3)
    prompt = [S.llm["bos_token_id"], lt.IMAGE_TOKEN_INDEX] + \
        torch.randint(3, S.llm["vocab_size"], (a.prompt_len - 1,), generator=g).tolist()
    _, _, _, images = synthetic_batch(S, 1, 2, seed=4)
    image = images[0]

    def run(n):
        stamps = []
        t0 = time.perf_counter()
        ids, _ = lt.greedy_cached(S, W, prompt, image, n, on_token=lambda i: stamps.append(time.perf_counter()))
        return ids, stamps[0] - t0, stamps[-1] - stamps[0]

    run(min(a.new_tokens, 8))  # warm-up
    prefill, decode, ids = [], [], None
    for r in range(a.runs):
        ids, pf, dec = run(a.new_tokens)
        prefill.append(pf)
        decode.append(dec)
        log("run %d: prefill %.1f ms, %d cached steps %.1f ms (%.1f tokens/s)"
            % (r, pf * 1e3, a.new_tokens - 1, dec * 1e3, (a.new_tokens - 1) / dec))
    steps = a.new_tokens - 1
    out = collections.OrderedDict(side="pytorch", bench="decode", model=os.path.abspath(a.model))
    out.update(batch=1, prompt_text_len=a.prompt_len, prompt_seq_len=a.prompt_len + S.image_tokens,
               new_tokens=a.new_tokens, runs=a.runs, row_linear=a.row_linear)
    out["tokens_per_s"] = round(steps / statistics.median(decode), 1)
    out["tokens_per_s_best"] = round(steps / min(decode), 1)
    out["ms_per_token"] = round(statistics.median(decode) / steps * 1e3, 2)
    out["prefill_ms"] = round(statistics.median(prefill) * 1e3, 1)
    out["tokens_per_s_incl_prefill"] = round(a.new_tokens / statistics.median(
        [p + d for p, d in zip(prefill, decode)]), 1)
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    out["generated_ids_head"] = ids[:8]
    out["load_avg_before"], out["load_avg_after"] = load_before, loadavg()
    out.update(env)
    print(json.dumps(out), flush=True)


def cmd_gemm(a):
    env = set_threads(a.threads)
    load_before = loadavg()
    best, med = gemm_gflops(a.n, a.reps)
    out = collections.OrderedDict(side="pytorch", bench="gemm", n=a.n, gflops=round(best, 1),
                                  gflops_median=round(med, 1), load_avg_before=load_before, load_avg_after=loadavg())
    out.update(env)
    print(json.dumps(out), flush=True)


def cmd_selfcheck(a):
    """The loader and the KV cache against the committed golden fixtures: every golden checkpoint directory
    loads to the golden weights; the loaded model reproduces the golden fp32 loss; KV-cached greedy decoding
    reproduces the golden (full-recompute) ids and step logits in fp32 and fp64; the FLOP formula matches the
    profiler's count on a tiny step."""
    set_threads(1)
    golden = a.golden
    with open(os.path.join(golden, "manifest.json")) as f:
        man = json.load(f)
    W0 = collections.OrderedDict((p["name"], torch.from_numpy(np.load(os.path.join(golden, "weights", p["name"] + ".npy"))))
                                 for p in man["parameters"])
    report = collections.OrderedDict()
    for ck in ("llava-safetensors", "llava-sharded", "llava-bin"):
        S, W = lt.load_llava_dir(os.path.join(golden, "checkpoints", ck))
        assert list(W) == list(W0), ck
        exact = all(torch.equal(W[k], W0[k]) for k in W)
        worst = max((W[k] - W0[k]).abs().max().item() / max(W0[k].abs().max().item(), 1e-30) for k in W)
        report[ck] = {"bit_identical": exact, "max_rel_diff": worst}
        if ck == "llava-safetensors":
            assert exact, ck
        else:  # bf16/f16 storage rounds
            assert worst < 1e-2, (ck, worst)
    S, W = lt.load_llava_dir(os.path.join(golden, "checkpoints", "llava-safetensors"))
    inp = {n: torch.from_numpy(np.load(os.path.join(golden, "inputs", n + ".npy")))
           for n in ("input_ids", "labels", "attention_mask", "images")}
    with torch.no_grad():
        _, loss = lt.forward(S, W, inp["input_ids"], inp["labels"], inp["attention_mask"].bool(), inp["images"], {})
    ref = man["results"]["fp32"]["loss"]
    report["loss_fp32"] = {"got": loss.item(), "golden": ref}
    assert abs(loss.item() - ref) <= 1e-6 * abs(ref), report["loss_fp32"]
    images = inp["images"]
    for kind, image in (("image", images[0]), ("text", torch.zeros_like(images[0]))):
        prompt = np.load(os.path.join(golden, "generate", kind + "_prompt_ids.npy")).tolist()
        for tag, dtype, tol in (("fp32", torch.float32, 1e-5), ("fp64", torch.float64, 1e-11)):
            P = collections.OrderedDict((k, v.to(dtype)) for k, v in W.items())
            ids, logits = lt.greedy_cached(S, P, prompt, image, 8)
            gids = np.load(os.path.join(golden, "generate", "%s_%s_ids.npy" % (kind, tag))).tolist()
            glog = torch.from_numpy(np.load(os.path.join(golden, "generate", "%s_%s_step_logits.npy" % (kind, tag))))
            diff = ((logits - glog).abs().max() / glog.abs().max()).item()
            report["kv_cache_%s_%s" % (kind, tag)] = {"ids_equal": ids == gids, "max_rel_logit_diff": diff}
            assert ids == gids and diff < tol, (kind, tag, ids, gids, diff)
    # FLOP formula vs the profiler on a tiny synthetic step, for each training mode
    for mode in ("all", "stage1", "stage2"):
        P = collections.OrderedDict((k, v.clone().requires_grad_(trainable(S, k, mode))) for k, v in W.items())
        ids, labels, mask, imgs = synthetic_batch(S, 2, 12)
        T = 12 + S.image_tokens

        def step():
            _, l = lt.forward(S, P, ids, labels, mask, imgs, {})
            l.backward()
        got = profiled_gflop(step)
        parts = step_flops(S, 2, T, mode)
        # the profiler does not count the conv weight gradient (= the conv forward, trained in mode all only)
        want = parts["total"] - (parts["vision_patch_embed"] / 2 if mode == "all" else 0.0)
        report["flops_%s" % mode] = {"formula_gflop": want, "profiler_gflop": got}
        assert abs(got - want) <= 1e-9 * want, report["flops_%s" % mode]
    report["ok"] = True
    print(json.dumps(report), flush=True)


def main(argv):
    ap = argparse.ArgumentParser(description="PyTorch ShareGPT4V benchmarks (training step, decode)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("step")
    s.add_argument("--model", required=True)
    s.add_argument("--batch", type=int, default=4)
    s.add_argument("--text-len", type=int, default=256)
    s.add_argument("--steps", type=int, default=5)
    s.add_argument("--warmup", type=int, default=2)
    s.add_argument("--threads", type=int)
    s.add_argument("--train", choices=("all", "stage1", "stage2"), default="all")
    s.add_argument("--foreach", action="store_true", help="torch.optim.AdamW(foreach=True)")
    s.add_argument("--profile-flops", action="store_true", help="also count FLOPs of one extra step with the profiler")
    d = sub.add_parser("decode")
    d.add_argument("--model", required=True)
    d.add_argument("--new-tokens", type=int, default=64)
    d.add_argument("--prompt-len", type=int, default=32)
    d.add_argument("--runs", type=int, default=3)
    d.add_argument("--threads", type=int)
    d.add_argument("--row-linear", choices=("mv", "addmm"), default="mv",
                   help="one-row linears as torch.mv (gemv, the faster here) or F.linear's addmm")
    g = sub.add_parser("gemm")
    g.add_argument("--n", type=int, default=2048)
    g.add_argument("--reps", type=int, default=5)
    g.add_argument("--threads", type=int)
    c = sub.add_parser("selfcheck")
    c.add_argument("--golden", default=os.path.normpath(os.path.join(HERE, "..", "resources", "golden", "tiny")))
    a = ap.parse_args(argv)
    for k in ("batch", "text_len", "steps", "new_tokens", "prompt_len", "runs", "threads", "n", "reps"):
        v = getattr(a, k, None)
        if v is not None and v < (2 if k in ("text_len", "new_tokens") else 1):
            ap.error("--%s must be >= %d, got %d" % (k.replace("_", "-"), 2 if k in ("text_len", "new_tokens") else 1, v))
    {"step": cmd_step, "decode": cmd_decode, "gemm": cmd_gemm, "selfcheck": cmd_selfcheck}[a.cmd](a)


if __name__ == "__main__":
    main(sys.argv[1:])
