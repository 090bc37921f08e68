#!/usr/bin/env bash
# Starts train.py on this node of a SkyPilot cluster (the task's `run:` is `bash run.sh`).
# Everything here comes from SkyPilot's environment; job.json is never read: its strings are the
# user's and only train.py, which treats them as data, opens it.
set -euo pipefail

cd -- "$(dirname -- "${BASH_SOURCE[0]}")"

die() {
    printf 'run.sh: %s\n' "$1" >&2
    exit 2
}

# A whole number from SkyPilot, or stop: these become torchrun arguments.
count() {
    local name="$1" value="$2"
    [[ "$value" =~ ^[0-9]+$ ]] || die "$name must be a whole number"
    printf '%d' "$((10#$value))"
}

nodes="$(count SKYPILOT_NUM_NODES "${SKYPILOT_NUM_NODES:-1}")"
gpus="$(count SKYPILOT_NUM_GPUS_PER_NODE "${SKYPILOT_NUM_GPUS_PER_NODE:-1}")"
node_rank="$(count SKYPILOT_NODE_RANK "${SKYPILOT_NODE_RANK:-0}")"
(( nodes >= 1 )) || die "SKYPILOT_NUM_NODES must be at least 1"
(( node_rank < nodes )) || die "SKYPILOT_NODE_RANK must be below SKYPILOT_NUM_NODES"

# SKYPILOT_NODE_IPS holds one address per line; the head node (rank 0) is the first.
ips="${SKYPILOT_NODE_IPS:-127.0.0.1}"
master="${ips%%$'\n'*}"
master="${master//[[:space:]]/}"
[[ "$master" =~ ^[0-9A-Za-z.:_-]+$ ]] || die "SKYPILOT_NODE_IPS does not start with an address"

# The task's setup installs requirements.txt into this virtual environment when it can.
venv="${VIBEML_VENV:-${HOME:-/nonexistent}/vibeml-venv}"
if [[ -x "$venv/bin/python3" ]]; then
    PATH="$venv/bin:$PATH"
    export PATH
fi
export PYTHONUNBUFFERED=1

if (( nodes == 1 && gpus <= 1 )); then
    exec python3 train.py job.json
fi
exec torchrun \
    "--nnodes=$nodes" \
    "--nproc_per_node=$gpus" \
    "--node_rank=$node_rank" \
    "--master_addr=$master" \
    "--master_port=8008" \
    train.py job.json
