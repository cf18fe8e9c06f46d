#!/usr/bin/env bash
# Every check CI runs, in order: lint, types, the Qt-free-core contract, then the whole test suite.
# Called by `bash packaging/bootstrap.sh test` (after set-up); extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${ASSISTANT_VENV:-.venv}"
export PATH="$PWD/$VENV/bin:$PATH"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

say "ruff"
ruff check assistant tests benchmarks packaging
say "mypy"
mypy assistant
say "import-linter (assistant.core must not import Qt)"
lint-imports
say "pytest"
export QT_QPA_PLATFORM=offscreen
python -m pytest "$@"
