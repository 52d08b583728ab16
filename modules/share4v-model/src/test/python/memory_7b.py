#!/usr/bin/python3
"""Memory estimate per GPU for ShareGPT4V-7B training under our design (docs/memory-7b.md prints its tables).

    /usr/bin/python3 modules/share4v-model/src/test/python/memory_7b.py

Parameter counts come from llava_torch.param_specs on the released 7B shapes (spec 5.1-5.3), so they are the
exact element counts of the flat parameter buffer; nothing is allocated. All sizes in GiB (2^30 bytes): an
"80 GB" A100/H100 has 80 GiB.
"""
import collections

from llava_torch import VT, LlavaSpec, param_specs

GIB = float(1 << 30)
N_GPU = 16

VISION = dict(hidden_size=1024, intermediate_size=4096, num_hidden_layers=24, num_attention_heads=16,
              image_size=336, patch_size=14, num_channels=3, hidden_act="quick_gelu", layer_norm_eps=1e-5)
LLM = dict(vocab_size=32000, hidden_size=4096, intermediate_size=11008, num_hidden_layers=32, num_attention_heads=32,
           num_key_value_heads=32, rms_norm_eps=1e-5, rope_theta=10000.0, max_position_embeddings=4096,
           hidden_act="silu", tie_word_embeddings=False, bos_token_id=1, eos_token_id=2, pad_token_id=0)
MM = dict(mm_hidden_size=1024, mm_projector_type="mlp2x_gelu", mm_vision_select_layer=-2,
          mm_vision_select_feature="patch")
S = LlavaSpec(VISION, LLM, MM)


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def counts():
    specs = param_specs(S)
    c = collections.OrderedDict()
    c["vision"] = sum(numel(s) for n, s, _ in specs if n.startswith(VT))
    c["vision_layer"] = sum(numel(s) for n, s, _ in specs if n.startswith(VT + "encoder.layers.0."))
    c["projector"] = sum(numel(s) for n, s, _ in specs if n.startswith("model.mm_projector."))
    c["llm"] = sum(numel(s) for n, s, _ in specs if not n.startswith(VT) and not n.startswith("model.mm_projector."))
    c["llm_layer"] = sum(numel(s) for n, s, _ in specs if n.startswith("model.layers.0."))
    c["embed_tokens"] = S.llm["vocab_size"] * S.llm["hidden_size"]
    c["total"] = c["vision"] + c["projector"] + c["llm"]
    # stage 1: LLM + projector + ViT encoder layers 12..23 (unlock_vit); layer 23 gets zero gradients
    c["trainable_stage1"] = c["llm"] + c["projector"] + 12 * c["vision_layer"]
    c["trainable_stage2"] = c["llm"] + c["projector"]
    return c


# ----------------------------------------------------------------------------------------------- model states

def model_states(c, trainable, zero, compute):
    """Bytes per GPU of weights, gradients, AdamW moments and compute copies (ordered dict of parts).

    Z1: AdamW moments sharded 1/N; fp32 master weights and fp32 gradients replicated (all-reduce).
    Z2: + gradients reduce-scattered into a 1/N fp32 shard (one layer's full-size fp32 gradient bucket live
        during backward before its reduce-scatter).
    Z2s: Z2 with the fp32 master weights sharded too, but a FULL bf16 compute copy resident (no gathers inside
        forward/backward; the updated bf16 shards are all-gathered once after each optimizer step). bf16 only.
    Z3: + fp32 master weights sharded 1/N; each layer's weights all-gathered in the compute dtype just before use
        (current + prefetched layer live), freed after.
    compute 'bf16': a bf16 copy of the weights feeds the GEMMs (Z1/Z2: a full resident copy, refreshed from the
    master after each step; Z3: the gathered layers are bf16); 'fp32': GEMMs read the fp32 weights directly."""
    total, L = c["total"], c["llm_layer"]
    parts = collections.OrderedDict()
    parts["fp32 master weights"] = 4 * total / (N_GPU if zero in ("Z3", "Z2s") else 1)
    parts["fp32 gradients"] = 4 * trainable / (1 if zero == "Z1" else N_GPU)
    parts["AdamW m + v (fp32)"] = 8 * trainable / N_GPU
    if zero in ("Z2", "Z2s", "Z3"):
        parts["gradient bucket (1 layer fp32)"] = 4 * L
    if zero == "Z3":
        parts["gathered layers (2 x 1 layer)"] = 2 * L * (2 if compute == "bf16" else 4)
    elif compute == "bf16":
        parts["bf16 compute copy"] = 2 * total
    return parts


# ----------------------------------------------------------------------------------------------- activations


def llm_activations(b, T, a, recompute, flash):
    """Bytes of LLM activations live at the start of backward (the peak), micro-batch b, sequence T, a bytes per
    activation element. Per decoder layer and token, the explicit backward keeps:
      x (layer input) H, RMSNorm-1 output H, q,k,v after RoPE 3H (MHA), attention output (o_proj input) H,
      mid residual H, RMSNorm-2 output H, gate and up pre-activations 2F, silu(gate)*up F  => 8H + 3F
      (+ 2 fp32 rstd, negligible); attention: flash-style = fp32 logsumexp [nh] per token; materialised =
      probabilities [nh, T] per token (b*nh*T^2 per layer).
    With per-block recomputation only x (H per token per layer) is kept; the backward of the current layer then
    holds one layer's recomputed set. Backward scratch for one layer: residual-gradient in/out 2H + dgate, dup,
    d(silu*up) 3F; materialised attention adds a second [nh, T, T] buffer (dprobs) for that layer.
    Outside the layers: input embeddings and final-norm output 2H per token; fp32 logits V per token, turned into
    dlogits in place."""
    H, F, nh, V, nl = S.llm["hidden_size"], S.llm["intermediate_size"], S.llm["num_attention_heads"], \
        S.llm["vocab_size"], S.llm["num_hidden_layers"]
    tok = b * T
    per_layer = tok * (8 * H + 3 * F) * a
    attn = b * nh * T * T * a if not flash else tok * nh * 4
    parts = collections.OrderedDict()
    if recompute:
        parts["LLM layer inputs (H/token/layer)"] = nl * tok * H * a
        parts["LLM 1 layer recomputed"] = per_layer + attn
    else:
        parts["LLM layers stored (8H+3F/token/layer)"] = nl * per_layer
        parts["LLM attention (probs or lse)"] = nl * attn
    parts["LLM backward scratch (1 layer)"] = tok * (2 * H + 3 * F) * a + (0 if flash else b * nh * T * T * a)
    parts["embeddings + final norm (2H)"] = 2 * tok * H * a
    parts["logits fp32 (V/token, dlogits in place)"] = tok * V * 4
    return parts


def vision_activations(b, a, recompute, flash, trainable_layers):
    """ViT stage 1: layers 12..22 on the gradient path (layer 23's output is never used, so our model skips it);
    per layer and position: x C, LN1 out C, q,k,v 3C, attention out C, mid residual C, LN2 out C, fc1
    pre-activation I, quick_gelu out I => 8C + 2I; attention probs [nh, P] per position if materialised.
    Frozen layers run forward only (transient). Projector: input 1024, fc1 out 4096, GELU out 4096 per image token."""
    C, I, nh = S.vision["hidden_size"], S.vision["intermediate_size"], S.vision["num_attention_heads"]
    P = S.num_patches + 1
    tok = b * P
    parts = collections.OrderedDict()
    per_layer = tok * (8 * C + 2 * I) * a
    attn = b * nh * P * P * a if not flash else tok * nh * 4
    if trainable_layers:
        if recompute:
            parts["ViT layer inputs"] = trainable_layers * tok * C * a
            parts["ViT 1 layer recomputed + scratch"] = per_layer + attn + tok * (2 * C + 2 * I) * a
        else:
            parts["ViT layers stored (8C+2I/pos/layer)"] = trainable_layers * (per_layer + attn)
    parts["projector (1024+2x4096 per image token)"] = b * S.num_patches * (1024 + 2 * 4096) * a
    return parts


STAGES = [
    ("stage 1", 16, 800, "trainable_stage1", 11),
    ("stage 2 typical", 8, 1200, "trainable_stage2", 0),
    ("stage 2 max", 8, 2623, "trainable_stage2", 0),
]
CONFIGS = [("Z1", "fp32"), ("Z2", "fp32"), ("Z2", "bf16"), ("Z2s", "bf16"), ("Z3", "fp32"), ("Z3", "bf16")]
ACTS = [(False, False, "stored, materialised"), (False, True, "stored, flash"),
        (True, False, "recompute, materialised"), (True, True, "recompute, flash")]


def reference_deepspeed(c, trainable, b, T, vit_layers):
    """The reference run (spec 6.3): DeepSpeed ZeRO-3, bf16, HF gradient checkpointing on the LLaMA layers only,
    flash-attn in the LLaMA layers, eager CLIP attention. Estimate, bytes per GPU:
      model states (ZeRO paper, mixed-precision Adam): bf16 params 2*total/N + bf16 grads 2*trainable/N +
        fp32 master, m, v 12*trainable/N;
      gathered bf16 parameters: 2 LLaMA layers live (prefetch) = 2*2*layer (max_live_parameters 1e9 allows more);
      LLaMA checkpoints: layer input H per token per layer (bf16);
      one layer re-run under autograd: HF keeps more than our lean set (RMSNorm upcasts to fp32, RoPE
        temporaries, q/k/v before and after RoPE, flash-attn's saved q,k,v,out) -- taken as 2x (8H + 3F) bf16;
      logits: lm_head bf16 [b,T,V] + the shifted .contiguous() copy + log_softmax output, bf16 => 6 bytes/elem;
      ViT (stage 1): no checkpointing, layers 12..23 ALL keep activations (layer 23's parameters require grad,
        so autograd records it although its output is unused): (8C + 2I) per position + probs and the
        dropout(p=0) output [nh,P,P] per image, bf16."""
    H, F, V, nl = S.llm["hidden_size"], S.llm["intermediate_size"], S.llm["vocab_size"], S.llm["num_hidden_layers"]
    C, I, nhv = S.vision["hidden_size"], S.vision["intermediate_size"], S.vision["num_attention_heads"]
    P = S.num_patches + 1
    tok = b * T
    parts = collections.OrderedDict()
    parts["bf16 params + grads, fp32 master + m + v (ZeRO-3)"] = (2 * c["total"] + 14 * trainable) / N_GPU
    parts["gathered bf16 layers (2)"] = 2 * 2 * c["llm_layer"]
    parts["LLaMA checkpoints (H/token/layer)"] = nl * tok * H * 2
    parts["1 LLaMA layer re-run (2 x (8H+3F))"] = tok * 2 * (8 * H + 3 * F) * 2
    parts["logits + shifted copy + log_softmax (bf16)"] = tok * V * 6
    if vit_layers:
        parts["ViT layers 12-23 stored (eager)"] = (vit_layers + 1) * (b * P * (8 * C + 2 * I) * 2
                                                                       + 2 * b * nhv * P * P * 2)
    parts["projector"] = b * S.num_patches * (1024 + 2 * 4096) * 2
    return parts


def gib(x):
    return x / GIB


def main():
    c = counts()
    print("## Parameter counts (exact, from the real shapes)\n")
    print("| part | parameters |\n|---|---:|")
    for k, v in c.items():
        print("| %s | %s |" % (k, format(v, ",")))
    print()
    for stage, b, T, tkey, vit_layers in STAGES:
        tr = c[tkey]
        print("## %s: micro-batch %d, sequence %d, trainable %s\n" % (stage, b, T, format(tr, ",")))
        print("### Model states per GPU (GiB)\n")
        print("| component | " + " | ".join("%s %s" % z for z in CONFIGS) + " |")
        print("|---|" + "---:|" * len(CONFIGS))
        states = [model_states(c, tr, z, comp) for z, comp in CONFIGS]
        keys = []
        for s in states:
            keys += [k for k in s if k not in keys]
        for k in keys:
            print("| %s | " % k + " | ".join(("%.2f" % gib(s[k])) if k in s else "-" for s in states) + " |")
        print("| **total** | " + " | ".join("**%.2f**" % gib(sum(s.values())) for s in states) + " |")
        print()
        print("### Activations per GPU (GiB)\n")
        print("| component | " + " | ".join("%s %s" % (n, dt) for _, _, n in ACTS for dt in ("fp32", "bf16")) + " |")
        print("|---|" + "---:|" * (2 * len(ACTS)))
        acts = []
        for rec, fl, _ in ACTS:
            for a in (4, 2):
                p = llm_activations(b, T, a, rec, fl)
                p.update(vision_activations(b, a, rec, fl, vit_layers))
                acts.append(p)
        keys = []
        for s in acts:
            keys += [k for k in s if k not in keys]
        for k in keys:
            print("| %s | " % k + " | ".join(("%.2f" % gib(s[k])) if k in s else "-" for s in acts) + " |")
        print("| **total** | " + " | ".join("**%.2f**" % gib(sum(s.values())) for s in acts) + " |")
        print()
        print("### Total per GPU (GiB) = model states + activations (no CUDA context / allocator slack)\n")
        print("| config | " + " | ".join(n for _, _, n in ACTS) + " |")
        print("|---|" + "---:|" * len(ACTS))
        for (z, comp), st in zip(CONFIGS, states):
            a = 4 if comp == "fp32" else 2
            cells = []
            for rec, fl, _ in ACTS:
                p = llm_activations(b, T, a, rec, fl)
                p.update(vision_activations(b, a, rec, fl, vit_layers))
                tot = gib(sum(st.values()) + sum(p.values()))
                cells.append(("%.1f" % tot) + ("" if tot <= 76 else " ✗"))
            print("| %s, %s compute | " % (z, comp) + " | ".join(cells) + " |")
        print()
        ref = reference_deepspeed(c, tr, b, T, vit_layers)
        print("### Reference (DeepSpeed ZeRO-3 bf16, HF checkpointing, flash-attn), estimate (GiB)\n")
        print("| component | GiB |\n|---|---:|")
        for k, v in ref.items():
            print("| %s | %.2f |" % (k, gib(v)))
        print("| **total** | **%.1f** |" % gib(sum(ref.values())))
        print()


if __name__ == "__main__":
    main()
