"""Plain-torch ShareGPT4V / LLaVA-1.5 reference model, shared by the golden-fixture generator
(make_llava_golden.py), the benchmark-model generator (make_bench_model.py) and the PyTorch benchmark
(bench_torch_llava.py).

transformers and safetensors are not installed on this machine (Debian python3-torch 1.13 only), so the modules
are re-stated here in plain torch, following the semantics of transformers 4.31 (CLIPVisionTransformer,
LlamaForCausalLM incl. its KV cache) and ShareGPT4V's share4v_arch.prepare_inputs_labels_for_multimodal
(spec section 5.5). Every model function takes the shapes (a LlavaSpec) first and the parameter dict P (full
LLaVA names -> tensors) second. The module sets no thread counts and writes no files by itself.
"""
import collections
import json
import math
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F

IGNORE_INDEX = -100
IMAGE_TOKEN_INDEX = -200
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]

VT = "model.vision_tower.vision_tower.vision_model."
TOWER_PREFIX = "model.vision_tower.vision_tower."


class LlavaSpec:
    """The three config dicts (same keys as the HF configs) and the shapes derived from them.

    vision: hidden_size, intermediate_size, num_hidden_layers, num_attention_heads, image_size, patch_size,
            num_channels, hidden_act, layer_norm_eps
    llm:    vocab_size, hidden_size, intermediate_size, num_hidden_layers, num_attention_heads,
            num_key_value_heads, rms_norm_eps, rope_theta, max_position_embeddings, hidden_act,
            tie_word_embeddings, bos_token_id, eos_token_id, pad_token_id
    mm:     mm_hidden_size, mm_projector_type, mm_vision_select_layer, mm_vision_select_feature
    """

    def __init__(self, vision, llm, mm):
        self.vision, self.llm, self.mm = vision, llm, mm
        if mm["mm_projector_type"] != "mlp2x_gelu":
            raise ValueError("mm_projector_type %r: only mlp2x_gelu is re-stated here" % mm["mm_projector_type"])
        if vision["hidden_act"] != "quick_gelu":
            raise ValueError("vision hidden_act %r: only quick_gelu is re-stated here" % vision["hidden_act"])
        self.grid = vision["image_size"] // vision["patch_size"]
        self.num_patches = self.grid * self.grid
        self.head_dim = llm["hidden_size"] // llm["num_attention_heads"]
        feature = mm["mm_vision_select_feature"]
        self.image_tokens = self.num_patches + (1 if feature == "cls_patch" else 0)

    @staticmethod
    def from_hf(llava_config, vision_config):
        """From a LLaVA/ShareGPT4V config.json and a CLIP (vision or full) config.json, both parsed."""
        v = vision_config.get("vision_config", vision_config)
        c = llava_config
        vision = dict(hidden_size=v["hidden_size"], intermediate_size=v["intermediate_size"],
                      num_hidden_layers=v["num_hidden_layers"], num_attention_heads=v["num_attention_heads"],
                      image_size=v["image_size"], patch_size=v["patch_size"], num_channels=v.get("num_channels", 3),
                      hidden_act=v.get("hidden_act", "quick_gelu"), layer_norm_eps=v.get("layer_norm_eps", 1e-5))
        llm = dict(vocab_size=c["vocab_size"], hidden_size=c["hidden_size"], intermediate_size=c["intermediate_size"],
                   num_hidden_layers=c["num_hidden_layers"], num_attention_heads=c["num_attention_heads"],
                   num_key_value_heads=c.get("num_key_value_heads") or c["num_attention_heads"],
                   rms_norm_eps=c["rms_norm_eps"], rope_theta=c.get("rope_theta", 10000.0),
                   max_position_embeddings=c["max_position_embeddings"], hidden_act=c.get("hidden_act", "silu"),
                   tie_word_embeddings=c.get("tie_word_embeddings", False), bos_token_id=c.get("bos_token_id", 1),
                   eos_token_id=c.get("eos_token_id", 2), pad_token_id=c.get("pad_token_id", 0))
        mm = dict(mm_hidden_size=c["mm_hidden_size"], mm_projector_type=c.get("mm_projector_type", "linear"),
                  mm_vision_select_layer=c.get("mm_vision_select_layer", -2),
                  mm_vision_select_feature=c.get("mm_vision_select_feature", "patch"))
        return LlavaSpec(vision, llm, mm)


# ----------------------------------------------------------------------------------------------- weights


def param_specs(S):
    """(full LLaVA name, shape, init kind) in the flat-buffer order (the checkpoint order):
    vision tower (HF named_parameters order inside), projector, LLM."""
    C, I, L = S.vision["hidden_size"], S.vision["intermediate_size"], S.vision["num_hidden_layers"]
    ps, P = S.vision["patch_size"], S.num_patches
    specs = [
        (VT + "embeddings.class_embedding", (C,), "emb"),
        (VT + "embeddings.patch_embedding.weight", (C, 3, ps, ps), "patch"),
        (VT + "embeddings.position_embedding.weight", (P + 1, C), "emb"),
        (VT + "pre_layrnorm.weight", (C,), "norm_w"),
        (VT + "pre_layrnorm.bias", (C,), "bias"),
    ]
    for i in range(L):
        p = VT + "encoder.layers.%d." % i
        for proj in ("k_proj", "v_proj", "q_proj", "out_proj"):
            specs += [(p + "self_attn.%s.weight" % proj, (C, C), "lin_v"),
                      (p + "self_attn.%s.bias" % proj, (C,), "bias")]
        specs += [(p + "layer_norm1.weight", (C,), "norm_w"), (p + "layer_norm1.bias", (C,), "bias"),
                  (p + "mlp.fc1.weight", (I, C), "lin_v"), (p + "mlp.fc1.bias", (I,), "bias"),
                  (p + "mlp.fc2.weight", (C, I), "lin_v"), (p + "mlp.fc2.bias", (C,), "bias"),
                  (p + "layer_norm2.weight", (C,), "norm_w"), (p + "layer_norm2.bias", (C,), "bias")]
    specs += [(VT + "post_layernorm.weight", (C,), "norm_w"), (VT + "post_layernorm.bias", (C,), "bias")]
    H = S.llm["hidden_size"]
    specs += [("model.mm_projector.0.weight", (H, S.mm["mm_hidden_size"]), "lin_p"),
              ("model.mm_projector.0.bias", (H,), "bias"),
              ("model.mm_projector.2.weight", (H, H), "lin_p"),
              ("model.mm_projector.2.bias", (H,), "bias")]
    V, FF, KV = S.llm["vocab_size"], S.llm["intermediate_size"], S.llm["num_key_value_heads"] * S.head_dim
    specs.append(("model.embed_tokens.weight", (V, H), "tok"))
    for i in range(S.llm["num_hidden_layers"]):
        p = "model.layers.%d." % i
        specs += [(p + "self_attn.q_proj.weight", (H, H), "lin_l"), (p + "self_attn.k_proj.weight", (KV, H), "lin_l"),
                  (p + "self_attn.v_proj.weight", (KV, H), "lin_l"), (p + "self_attn.o_proj.weight", (H, H), "lin_l"),
                  (p + "mlp.gate_proj.weight", (FF, H), "lin_l"), (p + "mlp.up_proj.weight", (FF, H), "lin_l"),
                  (p + "mlp.down_proj.weight", (H, FF), "lin_l"),
                  (p + "input_layernorm.weight", (H,), "norm_w"), (p + "post_attention_layernorm.weight", (H,), "norm_w")]
    specs += [("model.norm.weight", (H,), "norm_w"), ("lm_head.weight", (V, H), "lin_l")]
    return specs


def make_weights(S, seed=20240611):
    """float32 weights. Linear weights ~ N(0, (gain/sqrt(fan_in))^2) so every layer keeps unit-ish activations;
    norms ~ 1 + N(0, 0.1^2); biases ~ N(0, 0.05^2); class/position embeddings N(0, 0.2^2); token embeddings
    N(0, 0.5^2); patch conv N(0, 1/(3*14*14))."""
    g = torch.Generator().manual_seed(seed)
    weights = collections.OrderedDict()
    for name, shape, kind in param_specs(S):
        if kind == "norm_w":
            t = 1.0 + 0.1 * torch.randn(shape, generator=g)
        elif kind == "bias":
            t = 0.05 * torch.randn(shape, generator=g)
        elif kind == "emb":
            t = 0.2 * torch.randn(shape, generator=g)
        elif kind == "tok":
            t = 0.5 * torch.randn(shape, generator=g)
        elif kind == "patch":
            t = (1.0 / math.sqrt(3 * 14 * 14)) * torch.randn(shape, generator=g)
        else:
            gain = {"lin_v": 1.0, "lin_p": 1.0, "lin_l": 1.0}[kind]
            t = (gain / math.sqrt(shape[1])) * torch.randn(shape, generator=g)
        weights[name] = t.float().contiguous()
    return weights


# ----------------------------------------------------------------------------------------------- modules


def linear(x, w, b=None):
    return F.linear(x, w, b)


def clip_attention(S, P, p, x):
    """HF CLIPAttention: q is scaled BEFORE the score matmul; softmax in the working dtype; no mask."""
    N, T, C = x.shape
    h = S.vision["num_attention_heads"]
    d = C // h
    scale = d ** -0.5
    q = linear(x, P[p + "q_proj.weight"], P[p + "q_proj.bias"]) * scale
    k = linear(x, P[p + "k_proj.weight"], P[p + "k_proj.bias"])
    v = linear(x, P[p + "v_proj.weight"], P[p + "v_proj.bias"])

    def heads(t):
        return t.view(N, T, h, d).transpose(1, 2).reshape(N * h, T, d)

    q, k, v = heads(q), heads(k), heads(v)
    probs = torch.softmax(torch.bmm(q, k.transpose(1, 2)), dim=-1)
    out = torch.bmm(probs, v).view(N, h, T, d).transpose(1, 2).reshape(N, T, C)
    return linear(out, P[p + "out_proj.weight"], P[p + "out_proj.bias"])


def quick_gelu(x):
    return x * torch.sigmoid(1.702 * x)


def vision_tower(S, P, pixels, acts=None):
    """HF CLIPVisionTransformer with output_hidden_states=True: returns the tuple as a list of L+1 entries
    (entry 0 = embeddings after pre_layrnorm, entry i = output of encoder layer i-1). Like HF, every encoder
    layer runs, including those after the selected one. post_layernorm only touches the pooled CLS and never
    reaches the LLaVA features, so it is not computed here."""
    eps = S.vision["layer_norm_eps"]
    C = S.vision["hidden_size"]
    N = pixels.shape[0]
    patches = F.conv2d(pixels, P[VT + "embeddings.patch_embedding.weight"], stride=S.vision["patch_size"])
    patches = patches.flatten(2).transpose(1, 2)  # [N, P, C]
    cls = P[VT + "embeddings.class_embedding"].expand(N, 1, -1)
    x = torch.cat([cls, patches], dim=1) + P[VT + "embeddings.position_embedding.weight"].unsqueeze(0)
    if acts is not None:
        acts["vision_embeddings"] = x
    x = F.layer_norm(x, (C,), P[VT + "pre_layrnorm.weight"], P[VT + "pre_layrnorm.bias"], eps)
    states = [x]
    for i in range(S.vision["num_hidden_layers"]):
        p = VT + "encoder.layers.%d." % i
        r = x
        x = F.layer_norm(x, (C,), P[p + "layer_norm1.weight"], P[p + "layer_norm1.bias"], eps)
        x = r + clip_attention(S, P, p + "self_attn.", x)
        r = x
        x = F.layer_norm(x, (C,), P[p + "layer_norm2.weight"], P[p + "layer_norm2.bias"], eps)
        x = linear(quick_gelu(linear(x, P[p + "mlp.fc1.weight"], P[p + "mlp.fc1.bias"])),
                   P[p + "mlp.fc2.weight"], P[p + "mlp.fc2.bias"])
        x = r + x
        states.append(x)
    return states


def projector(P, feats):
    """mlp2x_gelu: Linear -> exact (erf) GELU -> Linear."""
    h = linear(feats, P["model.mm_projector.0.weight"], P["model.mm_projector.0.bias"])
    return linear(F.gelu(h), P["model.mm_projector.2.weight"], P["model.mm_projector.2.bias"])


def encode_images(S, P, images, acts):
    states = vision_tower(S, P, images, acts)
    feats = states[S.mm["mm_vision_select_layer"]]
    if S.mm["mm_vision_select_feature"] == "patch":
        feats = feats[:, 1:]
    acts["vision_features"] = feats
    proj = projector(P, feats)
    acts["vision_hidden_states"] = states
    acts["image_features"] = proj
    return proj


def splice(P, input_ids, labels, attention_mask, image_features):
    """share4v_arch.prepare_inputs_labels_for_multimodal (spec 5.5), training path with right padding:
    text-only rows are embedded as-is (their dummy image's features are consumed and discarded), every -200
    is replaced by the image's rows with -100 labels, rows are then right-padded with ZERO vectors / -100 and
    the mask is [True x (new_len - L)] ++ original_mask ++ [False x (max_len - new_len)]."""
    embed = P["model.embed_tokens.weight"]
    new_embeds, new_labels = [], []
    img = 0
    for b in range(input_ids.shape[0]):
        ids, lab = input_ids[b], labels[b]
        if (ids == IMAGE_TOKEN_INDEX).sum() == 0:
            new_embeds.append(torch.cat([embed[ids], image_features[img][0:0]], dim=0))
            new_labels.append(lab)
            img += 1
            continue
        pieces, plabels = [], []
        while (ids == IMAGE_TOKEN_INDEX).any():
            p = int(torch.where(ids == IMAGE_TOKEN_INDEX)[0][0])
            pieces += [embed[ids[:p]], image_features[img]]
            plabels += [lab[:p], torch.full((image_features[img].shape[0],), IGNORE_INDEX, dtype=lab.dtype)]
            img += 1
            ids, lab = ids[p + 1:], lab[p + 1:]
        if ids.numel() > 0:
            pieces.append(embed[ids])
            plabels.append(lab)
        new_embeds.append(torch.cat(pieces, dim=0))
        new_labels.append(torch.cat(plabels, dim=0))
    max_len = max(e.shape[0] for e in new_embeds)
    H = embed.shape[1]
    L = input_ids.shape[1]
    out_e, out_l, out_m = [], [], []
    for e, lab, m in zip(new_embeds, new_labels, attention_mask):
        n = e.shape[0]
        out_e.append(torch.cat([e, torch.zeros(max_len - n, H, dtype=e.dtype)], dim=0))
        out_l.append(torch.cat([lab, torch.full((max_len - n,), IGNORE_INDEX, dtype=lab.dtype)], dim=0))
        out_m.append(torch.cat([torch.ones(n - L, dtype=torch.bool), m, torch.zeros(max_len - n, dtype=torch.bool)]))
    return torch.stack(out_e), torch.stack(out_l), torch.stack(out_m)


def rope_tables(S, dtype, seq_len):
    """LlamaRotaryEmbedding (4.31): inv_freq = 1/(theta^(arange(0,D,2)/D)), t = arange(max_pos),
    freqs = outer(t, inv_freq), emb = cat(freqs, freqs); cos/sin of emb. For float32 every step is in
    float32 exactly as HF; for float64 every step is in float64 (HF would build them in float32)."""
    D = S.head_dim
    inv_freq = 1.0 / (S.llm["rope_theta"] ** (torch.arange(0, D, 2).to(dtype) / D))
    t = torch.arange(S.llm["max_position_embeddings"], dtype=dtype)
    freqs = torch.einsum("i,j->ij", t, inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos()[:seq_len], emb.sin()[:seq_len]


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rms_norm(S, x, w):
    """LlamaRMSNorm: statistics in float32 at least (HF upcasts; float64 stays float64 here)."""
    in_dtype = x.dtype
    h = x.to(torch.float32) if in_dtype != torch.float64 else x
    var = h.pow(2).mean(-1, keepdim=True)
    h = h * torch.rsqrt(var + S.llm["rms_norm_eps"])
    return w * h.to(in_dtype)


def decoder_mask(attention_mask, dtype, past_len=0):
    """_prepare_decoder_attention_mask (4.31): causal mask of finfo.min above the diagonal (query i sits at
    position past_len + i and sees every cached key), plus the expanded padding mask (finfo.min on masked
    keys); the sum may overflow to -inf, which softmax treats as 0. attention_mask covers past + new keys."""
    B, K = attention_mask.shape
    T = K - past_len
    mn = torch.finfo(dtype).min
    causal = torch.full((T, T), mn, dtype=dtype)
    cond = torch.arange(T)
    causal.masked_fill_(cond < (cond + 1).view(T, 1), 0)
    if past_len > 0:
        causal = torch.cat([torch.zeros(T, past_len, dtype=dtype), causal], dim=-1)
    causal = causal[None, None].expand(B, 1, T, K)
    inverted = 1.0 - attention_mask[:, None, None, :].expand(B, 1, T, K).to(dtype)
    padding = inverted.masked_fill(inverted.to(torch.bool), mn)
    return padding + causal


def llama_attention(S, P, p, x, mask, cos, sin, past=None):
    """LlamaAttention (4.31). cos/sin are the rows of the new positions; past = (k, v) [B, Hkv, Tpast, D] from
    earlier calls, cached AFTER RoPE and BEFORE repeat_kv as HF does. Returns (output, (k, v) incl. past)."""
    B, T, H = x.shape
    nh, nkv, D = S.llm["num_attention_heads"], S.llm["num_key_value_heads"], S.head_dim
    q = linear(x, P[p + "q_proj.weight"]).view(B, T, nh, D).transpose(1, 2)
    k = linear(x, P[p + "k_proj.weight"]).view(B, T, nkv, D).transpose(1, 2)
    v = linear(x, P[p + "v_proj.weight"]).view(B, T, nkv, D).transpose(1, 2)
    c, s = cos[None, None], sin[None, None]  # position ids arange(past, past + T), independent of padding
    q = q * c + rotate_half(q) * s
    k = k * c + rotate_half(k) * s
    if past is not None:
        k = torch.cat([past[0], k], dim=2)
        v = torch.cat([past[1], v], dim=2)
    present = (k, v)
    K = k.shape[2]
    rep = nh // nkv  # repeat_kv: kv head j serves query heads j*rep .. j*rep+rep-1
    k = k[:, :, None].expand(B, nkv, rep, K, D).reshape(B, nh, K, D)
    v = v[:, :, None].expand(B, nkv, rep, K, D).reshape(B, nh, K, D)
    scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(D) + mask
    soft_dtype = torch.float64 if x.dtype == torch.float64 else torch.float32
    probs = torch.softmax(scores, dim=-1, dtype=soft_dtype).to(q.dtype)
    out = torch.matmul(probs, v).transpose(1, 2).reshape(B, T, H)
    return linear(out, P[p + "o_proj.weight"]), present


def llama(S, P, inputs_embeds, attention_mask, acts, past=None):
    """LlamaModel + lm_head. acts['llm_hidden_states'] follows HF's output_hidden_states tuple: the input of
    every decoder layer, then the FINAL-NORMED output (n_layers + 1 entries). With past (a list of per-layer
    (k, v) from an earlier call) the new rows continue at position past_len and attention_mask covers
    past + new keys; acts['present'] receives the updated cache."""
    B, T, _ = inputs_embeds.shape
    dtype = inputs_embeds.dtype
    past_len = 0 if past is None else past[0][0].shape[2]
    mask = decoder_mask(attention_mask, dtype, past_len)
    cos, sin = rope_tables(S, dtype, past_len + T)
    cos, sin = cos[past_len:], sin[past_len:]
    acts["rope_cos"], acts["rope_sin"] = cos, sin
    h = inputs_embeds
    states, present = [], []
    for i in range(S.llm["num_hidden_layers"]):
        states.append(h)
        p = "model.layers.%d." % i
        r = h
        a, kv = llama_attention(S, P, p + "self_attn.", rms_norm(S, h, P[p + "input_layernorm.weight"]), mask, cos,
                                sin, None if past is None else past[i])
        present.append(kv)
        h = r + a
        r = h
        x = rms_norm(S, h, P[p + "post_attention_layernorm.weight"])
        x = linear(F.silu(linear(x, P[p + "mlp.gate_proj.weight"])) * linear(x, P[p + "mlp.up_proj.weight"]),
                   P[p + "mlp.down_proj.weight"])
        h = r + x
    h = rms_norm(S, h, P["model.norm.weight"])
    states.append(h)
    acts["llm_hidden_states"] = states
    acts["final_hidden"] = h
    acts["present"] = present
    return linear(h, P["lm_head.weight"])


def forward(S, P, input_ids, labels, attention_mask, images, acts):
    feats = encode_images(S, P, images, acts)
    embeds, new_labels, new_mask = splice(P, input_ids, labels, attention_mask, feats)
    acts["inputs_embeds"] = embeds
    acts["labels"] = new_labels
    acts["attention_mask"] = new_mask
    logits = llama(S, P, embeds, new_mask, acts)
    loss = None
    if labels is not None:
        V = logits.shape[-1]
        shift_logits = logits[:, :-1, :].reshape(-1, V)
        shift_labels = new_labels[:, 1:].reshape(-1)
        loss = F.cross_entropy(shift_logits, shift_labels, ignore_index=IGNORE_INDEX)
        acts["n_supervised"] = int((shift_labels != IGNORE_INDEX).sum())
    return logits, loss


def greedy(S, P, prompt, image, steps):
    """Greedy decoding recomputing the whole sequence each step (same maths as the KV-cached path)."""
    ids = list(prompt)
    new, step_logits = [], []
    dtype = next(iter(P.values())).dtype
    with torch.no_grad():
        for _ in range(steps):
            t = torch.tensor([ids], dtype=torch.long)
            acts = {}
            logits, _ = forward(S, P, t, torch.zeros_like(t), t.ne(0), image.to(dtype)[None], acts)
            last = logits[0, -1]
            nxt = int(torch.argmax(last))
            step_logits.append(last)
            new.append(nxt)
            ids.append(nxt)
    return new, torch.stack(step_logits)


def greedy_cached(S, P, prompt, image, steps, on_token=None):
    """Greedy decoding with a KV cache, as HF generate does (spec 5.5 step 5): the first call runs the spliced
    prompt (image rows included) and fills the cache; every later call feeds only the embedding of the last
    chosen token at position past_len with an all-ones mask of length past_len + 1. on_token(i) is called after
    token i is chosen (benchmark timing hook)."""
    dtype = next(iter(P.values())).dtype
    new, step_logits = [], []
    with torch.no_grad():
        t = torch.tensor([list(prompt)], dtype=torch.long)
        feats = encode_images(S, P, image.to(dtype)[None], {})
        embeds, _, mask = splice(P, t, torch.zeros_like(t), t.ne(0), feats)
        acts = {}
        logits = llama(S, P, embeds, mask, acts)
        past = acts["present"]
        for i in range(steps):
            last = logits[0, -1]
            nxt = int(torch.argmax(last))
            step_logits.append(last)
            new.append(nxt)
            if on_token is not None:
                on_token(i)
            if i + 1 == steps:
                break
            mask = torch.ones(1, past[0][0].shape[2] + 1, dtype=torch.bool)
            emb = P["model.embed_tokens.weight"][torch.tensor([[nxt]])]
            acts = {}
            logits = llama(S, P, emb, mask, acts, past)
            past = acts["present"]
    return new, torch.stack(step_logits)


# ----------------------------------------------------------------------------------------------- safetensors

ST_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64",
            "I64", "U64"]


def safetensors_bytes(tensors, metadata):
    """safetensors format as the reference library writes it: tensors sorted by DESCENDING dtype (enum order
    BOOL<U8<I8<F8_E5M2<F8_E4M3<I16<U16<F16<BF16<I32<U32<F32<F64<I64<U64) then by name; compact JSON header with
    __metadata__ first and keys in data order, fields dtype/shape/data_offsets; header padded with spaces to a
    multiple of 8; 8-byte little-endian header length first."""
    items = sorted(tensors.items(), key=lambda kv: (-ST_ORDER.index(kv[1][0]), kv[0]))
    header = collections.OrderedDict()
    if metadata is not None:
        header["__metadata__"] = metadata
    blobs, offset = [], 0
    for name, (dt, shape, raw) in items:
        header[name] = collections.OrderedDict([("dtype", dt), ("shape", list(shape)),
                                                ("data_offsets", [offset, offset + len(raw)])])
        offset += len(raw)
        blobs.append(raw)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(blobs)


def st_entry(t, dt):
    """(dtype tag, shape, little-endian bytes) of t stored as dt."""
    if dt == "F32":
        raw = t.float().numpy().astype("<f4").tobytes()
    elif dt == "F16":
        raw = t.half().numpy().astype("<f2").tobytes()
    elif dt == "BF16":
        raw = t.to(torch.bfloat16).view(torch.int16).numpy().astype("<i2").tobytes()
    elif dt == "I64":
        raw = t.long().numpy().astype("<i8").tobytes()
    else:
        raise ValueError(dt)
    return dt, tuple(t.shape), raw


def read_safetensors(path):
    """name -> torch tensor (float dtypes widened to float32, integers to int64) of a .safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = collections.OrderedDict()
    for name, e in header.items():
        if name == "__metadata__":
            continue
        lo, hi = e["data_offsets"]
        raw = data[base + lo:base + hi]
        dt, shape = e["dtype"], e["shape"]
        if dt == "F32":
            a = np.frombuffer(raw, dtype="<f4").astype(np.float32)
        elif dt == "F16":
            a = np.frombuffer(raw, dtype="<f2").astype(np.float32)
        elif dt == "BF16":
            a = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        elif dt == "F64":
            a = np.frombuffer(raw, dtype="<f8").astype(np.float32)
        elif dt == "I64":
            a = np.frombuffer(raw, dtype="<i8").astype(np.int64)
        elif dt == "I32":
            a = np.frombuffer(raw, dtype="<i4").astype(np.int64)
        else:
            raise ValueError("%s: tensor %s has unsupported dtype %s" % (path, name, dt))
        out[name] = torch.from_numpy(a.copy()).reshape(shape)
    return out


# ----------------------------------------------------------------------------------------------- HF configs


def llava_config(S, torch_dtype, tower, name="tiny-share4v"):
    """config.json of a released ShareGPT4V checkpoint (spec 5.4) for these shapes."""
    L, M = S.llm, S.mm
    c = {
        "_name_or_path": name,
        "architectures": ["Share4VLlamaForCausalLM"],
        "bos_token_id": L["bos_token_id"], "eos_token_id": L["eos_token_id"], "pad_token_id": L["pad_token_id"],
        "freeze_mm_mlp_adapter": False,
        "hidden_act": "silu", "hidden_size": L["hidden_size"],
        "image_aspect_ratio": "pad", "image_grid_pinpoints": None,
        "initializer_range": 0.02, "intermediate_size": L["intermediate_size"],
        "max_position_embeddings": L["max_position_embeddings"],
        "mm_hidden_size": M["mm_hidden_size"], "mm_projector_lr": None, "mm_projector_type": M["mm_projector_type"],
        "mm_use_im_patch_token": False, "mm_use_im_start_end": False,
        "mm_vision_select_feature": M["mm_vision_select_feature"], "mm_vision_select_layer": M["mm_vision_select_layer"],
        "mm_vision_tower": tower,
        "model_type": "share4v",
        "num_attention_heads": L["num_attention_heads"], "num_hidden_layers": L["num_hidden_layers"],
        "num_key_value_heads": L["num_key_value_heads"],
        "pretraining_tp": 1, "rms_norm_eps": L["rms_norm_eps"], "rope_scaling": None,
        "tie_word_embeddings": False, "torch_dtype": torch_dtype, "transformers_version": "4.31.0",
        "tune_entire_model": False, "tune_mm_mlp_adapter": False, "tune_vision_tower": False,
        "use_cache": True, "use_mm_proj": True, "vision_tower_lr": None,
        "vocab_size": L["vocab_size"],
    }
    return c


def clip_vision_config(S, flat, projection_dim=16):
    V = S.vision
    c = {"attention_dropout": 0.0, "dropout": 0.0, "hidden_act": V["hidden_act"],
         "hidden_size": V["hidden_size"], "image_size": V["image_size"], "initializer_factor": 1.0,
         "initializer_range": 0.02, "intermediate_size": V["intermediate_size"],
         "layer_norm_eps": V["layer_norm_eps"], "model_type": "clip_vision_model",
         "num_attention_heads": V["num_attention_heads"], "num_channels": 3,
         "num_hidden_layers": V["num_hidden_layers"], "patch_size": V["patch_size"],
         "projection_dim": projection_dim}
    if flat:
        c.update({"architectures": ["CLIPVisionModel"], "torch_dtype": "float32", "transformers_version": "4.31.0"})
    return c


def preprocessor_config(S):
    s = S.vision["image_size"]
    return {"crop_size": {"height": s, "width": s}, "do_center_crop": True, "do_convert_rgb": True,
            "do_normalize": True, "do_rescale": True, "do_resize": True, "feature_extractor_type": "CLIPFeatureExtractor",
            "image_mean": CLIP_MEAN, "image_processor_type": "CLIPImageProcessor", "image_std": CLIP_STD,
            "resample": 3, "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": s}}


def hf_llava_state(S, W):
    """LLM + projector in Share4VLlamaForCausalLM.state_dict() order (model.embed_tokens, model.layers.* with the
    rotary inv_freq buffer after o_proj, model.norm, model.mm_projector.*, lm_head); no vision tower, as the
    released checkpoints (spec 5.4)."""
    st = collections.OrderedDict()
    D = S.head_dim
    inv_freq = 1.0 / (S.llm["rope_theta"] ** (torch.arange(0, D, 2).float() / D))
    st["model.embed_tokens.weight"] = W["model.embed_tokens.weight"]
    for i in range(S.llm["num_hidden_layers"]):
        p = "model.layers.%d." % i
        for n in ("self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                  "self_attn.o_proj.weight"):
            st[p + n] = W[p + n]
        st[p + "self_attn.rotary_emb.inv_freq"] = inv_freq.clone()
        for n in ("mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight",
                  "input_layernorm.weight", "post_attention_layernorm.weight"):
            st[p + n] = W[p + n]
    st["model.norm.weight"] = W["model.norm.weight"]
    for n in ("0.weight", "0.bias", "2.weight", "2.bias"):
        st["model.mm_projector." + n] = W["model.mm_projector." + n]
    st["lm_head.weight"] = W["lm_head.weight"]
    return st


def vision_state(W):
    """The tower's parameters under CLIPVisionModel names (vision_model.*)."""
    return collections.OrderedDict((k[len(TOWER_PREFIX):], v) for k, v in W.items() if k.startswith(TOWER_PREFIX))


# ----------------------------------------------------------------------------------------------- loading


def _load_weight_files(directory):
    """Every tensor of <stem>.safetensors, its sharded index, or <stem>.bin (pytorch_model*), in file order."""
    st = os.path.join(directory, "model.safetensors")
    st_index = os.path.join(directory, "model.safetensors.index.json")
    bn = os.path.join(directory, "pytorch_model.bin")
    bn_index = os.path.join(directory, "pytorch_model.bin.index.json")
    if os.path.isfile(st):
        return read_safetensors(st)
    if os.path.isfile(st_index):
        with open(st_index) as f:
            files = sorted(set(json.load(f)["weight_map"].values()))
        out = collections.OrderedDict()
        for name in files:
            out.update(read_safetensors(os.path.join(directory, name)))
        return out
    if os.path.isfile(bn):
        return torch.load(bn, map_location="cpu")
    if os.path.isfile(bn_index):
        with open(bn_index) as f:
            files = sorted(set(json.load(f)["weight_map"].values()))
        out = collections.OrderedDict()
        for name in files:
            out.update(torch.load(os.path.join(directory, name), map_location="cpu"))
        return out
    raise FileNotFoundError("%s: no model.safetensors, model.safetensors.index.json, pytorch_model.bin or "
                            "pytorch_model.bin.index.json" % directory)


def load_llava_dir(directory):
    """(spec, weights) of a ShareGPT4V checkpoint directory: config.json + LLM/projector weights, and the vision
    tower directory named by mm_vision_tower (relative paths resolve against `directory`). Weights come back
    float32 under full LLaVA names in param_specs order; buffers (rotary inv_freq, position_ids) and the
    non-vision parts of a full CLIPModel are dropped."""
    with open(os.path.join(directory, "config.json")) as f:
        cfg = json.load(f)
    tower_dir = cfg["mm_vision_tower"]
    if not os.path.isabs(tower_dir):
        tower_dir = os.path.normpath(os.path.join(directory, tower_dir))
    if not os.path.isdir(tower_dir):
        raise FileNotFoundError("%s/config.json: mm_vision_tower %r is not a directory (%s)"
                                % (directory, cfg["mm_vision_tower"], tower_dir))
    with open(os.path.join(tower_dir, "config.json")) as f:
        vcfg = json.load(f)
    S = LlavaSpec.from_hf(cfg, vcfg)
    raw = collections.OrderedDict()
    for k, v in _load_weight_files(directory).items():
        if not k.endswith("rotary_emb.inv_freq"):
            raw[k] = v
    for k, v in _load_weight_files(tower_dir).items():
        if k.startswith("vision_model.") and not k.endswith("position_ids"):
            raw[TOWER_PREFIX + k] = v
    W = collections.OrderedDict()
    for name, shape, _ in param_specs(S):
        if name not in raw:
            raise KeyError("%s: parameter %s missing from the checkpoint" % (directory, name))
        t = raw.pop(name)
        if tuple(t.shape) != tuple(shape):
            raise ValueError("%s: %s has shape %s, config implies %s" % (directory, name, tuple(t.shape), shape))
        W[name] = t.float().contiguous()
    if raw:
        raise ValueError("%s: unexpected tensors %s" % (directory, sorted(raw)[:5]))
    return S, W
