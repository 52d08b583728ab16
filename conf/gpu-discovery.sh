#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the GPUs this executor may use
# as Spark's resource JSON, e.g. {"name":"gpu","addresses":["0","1"]}. Each training task asks for one
# (spark.task.resource.gpu.amount=1) and opens the device whose ordinal Spark hands it.
#
# Ordinals are those the executor process sees: when CUDA_VISIBLE_DEVICES is set (Slurm's --gpus, Kubernetes
# device plugins, YARN isolation), CUDA renumbers the visible devices 0..k-1, so the addresses are 0..k-1;
# otherwise every GPU nvidia-smi lists. No GPU found is an error (exit 1), so a misconfigured node fails the
# executor at start instead of running training tasks without a device.
set -euo pipefail
addresses=()
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  IFS=',' read -r -a visible <<< "$CUDA_VISIBLE_DEVICES"
  for i in "${!visible[@]}"; do
    [[ -n "${visible[$i]// /}" && "${visible[$i]}" != "-1" ]] && addresses+=("$i")
  done
elif command -v nvidia-smi >/dev/null 2>&1; then
  while read -r idx; do
    [[ -n "$idx" ]] && addresses+=("${idx// /}")
  done < <(nvidia-smi --query-gpu=index --format=csv,noheader)
else
  echo "gpu-discovery: no CUDA_VISIBLE_DEVICES and no nvidia-smi on PATH: cannot list GPUs" >&2
  exit 1
fi
if [[ ${#addresses[@]} -eq 0 ]]; then
  echo "gpu-discovery: no GPU visible (CUDA_VISIBLE_DEVICES='${CUDA_VISIBLE_DEVICES:-}')" >&2
  exit 1
fi
json=""
for a in "${addresses[@]}"; do json+="${json:+,}\"$a\""; done
echo "{\"name\":\"gpu\",\"addresses\":[$json]}"
