#!/usr/bin/python3
"""torch.optim.AdamW reference trajectories for io.share4v.tensor.optim.AdamW (AdamWParityTest).

    /usr/bin/python3 modules/share4v-tensor/src/test/python/make_adamw_fixtures.py

A flat buffer of N = 3000 float32 elements holds three "tensors": [0, 1000) trains in group 0, [1000, 1800) is
frozen (never passed to the optimizer), [1800, 3000) trains in group 1. Eight steps with fresh random gradients
(step 3 has a zero gradient in places, so v = 0 and eps alone is the denominator), a learning rate that changes
every step, betas (0.9, 0.95), eps 1e-8. Cases: wd0 (weight_decay 0 for both groups) and wd (group 0: 0.1,
group 1: 0.0). Outputs in src/test/resources/adamw/<case>/: params0.npy [N], grads.npy [S, N], lrs.npy [S]
(float64), params.npy [S, N] (after each step), exp_avg.npy / exp_avg_sq.npy [N] after the last step (zero where
frozen). Written with torch 1.13 (_single_tensor_adamw, foreach off).
"""
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "adamw"))
N, STEPS = 3000, 8
G0, FROZEN, G1 = (0, 1000), (1000, 1800), (1800, 3000)


def run(case, wd0, wd1):
    g = torch.Generator().manual_seed(7)
    p0 = torch.randn(N, generator=g, dtype=torch.float32)
    grads = torch.randn(STEPS, N, generator=g, dtype=torch.float32) * torch.logspace(-4, 1, N)
    grads[3, ::3] = 0.0
    lrs = np.array([1e-3 * (1 + 0.5 * np.cos(s)) for s in range(STEPS)], dtype=np.float64)
    a = p0[G0[0]:G0[1]].clone().requires_grad_(True)
    b = p0[G1[0]:G1[1]].clone().requires_grad_(True)
    frozen = p0[FROZEN[0]:FROZEN[1]].clone()
    opt = torch.optim.AdamW([{"params": [a], "weight_decay": wd0}, {"params": [b], "weight_decay": wd1}],
                            lr=float(lrs[0]), betas=(0.9, 0.95), eps=1e-8, foreach=False)
    params = np.zeros((STEPS, N), dtype=np.float32)
    for s in range(STEPS):
        for group in opt.param_groups:
            group["lr"] = float(lrs[s])
        a.grad = grads[s, G0[0]:G0[1]].clone()
        b.grad = grads[s, G1[0]:G1[1]].clone()
        opt.step()
        params[s] = torch.cat([a.detach(), frozen, b.detach()]).numpy()
    m = np.zeros(N, dtype=np.float32)
    v = np.zeros(N, dtype=np.float32)
    for t, (lo, hi) in ((a, G0), (b, G1)):
        m[lo:hi] = opt.state[t]["exp_avg"].numpy()
        v[lo:hi] = opt.state[t]["exp_avg_sq"].numpy()
    d = os.path.join(OUT, case)
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, "params0.npy"), p0.numpy())
    np.save(os.path.join(d, "grads.npy"), grads.numpy())
    np.save(os.path.join(d, "lrs.npy"), lrs)
    np.save(os.path.join(d, "params.npy"), params)
    np.save(os.path.join(d, "exp_avg.npy"), m)
    np.save(os.path.join(d, "exp_avg_sq.npy"), v)
    print(case, "max |p_S - p_0| =", float(np.abs(params[-1] - p0.numpy()).max()))


if __name__ == "__main__":
    print("torch", torch.__version__)
    run("wd0", 0.0, 0.0)
    run("wd", 0.1, 0.0)
