#!/usr/bin/env bash
# Spark GPU resource discovery (spark.{driver,executor}.resource.gpu.discoveryScript): prints the GPUs this container
# or host can use as Spark's resource JSON, e.g. {"name": "gpu", "addresses": ["0", "1"]}.
# Lists what nvidia-smi sees (in a container: the GPUs the runtime mounted), like Spark's example script. Fails
# (exit 1, message on stderr) when nvidia-smi is missing or fails: an executor that asked for a GPU must not start
# without one.
set -euo pipefail
if ! command -v nvidia-smi >/dev/null; then
  echo "gpu-discovery: nvidia-smi not found on PATH; is the NVIDIA driver mounted into this container?" >&2
  exit 1
fi
if ! indices=$(nvidia-smi --query-gpu=index --format=csv,noheader 2>&1); then
  echo "gpu-discovery: nvidia-smi failed: $indices" >&2
  exit 1
fi
addresses=()
while IFS= read -r line; do
  index=$(tr -d '[:space:]' <<<"$line")
  [[ $index =~ ^[0-9]+$ ]] || continue
  addresses+=("\"$index\"")
done <<<"$indices"
joined=$(IFS=,; echo "${addresses[*]:-}")
echo "{\"name\": \"gpu\", \"addresses\": [${joined//,/, }]}"
