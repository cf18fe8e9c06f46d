#!/usr/bin/env bash
# The packaging stage of CI (bootstrap.sh test runs it after the tests; it also runs alone):
#  1. builds the one-folder app and the .deb from this checkout (packaging/build.py);
#  2. runs the frozen app's --self-test offscreen with networking cut off (unshare -n);
#  3. installs the .deb into a fresh, empty root (dpkg --root) and starts the self-test through its
#     /usr/bin launcher, offline; validates the .desktop file;
#  4. builds the "carries a bigger model" variant with a stand-in model, installs it into another fresh
#     root and checks that the app starts on that model;
#  5. runs the frozen app's self-test under qemu-user emulating a Nehalem CPU (SSE4.2, no AVX/AVX2):
#     llama.cpp must pick its sse42 code and answer, not die with an illegal instruction;
#  6. checks the .deb's size (<= 250 MiB without the R1 model).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${ASSISTANT_VENV:-.venv}"
PY="$VENV/bin/python"
OUT="build/package/check"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { printf '\033[1;31mFAILED: %s\033[0m\n' "$*" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"

# networking cut off: a new, empty network namespace (as root), else a user namespace with one
if unshare -n true 2>/dev/null; then OFFLINE=(unshare -n)
elif unshare -rn true 2>/dev/null; then OFFLINE=(unshare -rn)
else fail "cannot cut networking off here (unshare -n needs root or user namespaces)"; fi

# Runs the self-test command given, offline and offscreen; keeps its JSON report in $OUT/$1.json.
self_test() {
  local name="$1"; shift
  say "self-test: $name"
  local rc=0
  env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=offscreen timeout "${SELF_TEST_TIMEOUT:-900}" \
    "${OFFLINE[@]}" "$@" --self-test >"$OUT/$name.json" 2>"$OUT/$name.log" || rc=$?
  tail -n 1 "$OUT/$name.json" >&2 || true
  [ "$rc" -eq 0 ] || { tail -n 20 "$OUT/$name.log" >&2; fail "$name: the self-test exited $rc"; }
}
field() { "$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1]).get(sys.argv[2], ""))' "$1" "$2"; }

# --- 1. build
standin="$OUT/standin-model-Q4_1.gguf"  # any GGUF stands in for R1 here (the real one is not on this machine)
cp "$(ls models/*.gguf | head -n 1)" "$standin"
"$PY" packaging/build.py app deb --with-model "$standin"
APP=build/package/dist/assistant/assistant
DEB=$(ls dist/assistant_*_*.deb); DEB_R1=$(ls dist/assistant-r1_*_*.deb)

# --- 2. the frozen app, offline
self_test frozen "$APP"
[ "$(field "$OUT/frozen.json" ok)" = "True" ] || fail "frozen app: not ok"
[ "$(field "$OUT/frozen.json" frozen)" = "True" ] || fail "frozen app: the report does not come from the frozen build"
[ "$(field "$OUT/frozen.json" math_typeset)" = "True" ] || fail "frozen app: formulas are not typeset (matplotlib or its fonts missing?)"
[ "$(field "$OUT/frozen.json" sandbox_ok)" = "True" ] || fail "frozen app: the code sandbox does not work: $(field "$OUT/frozen.json" sandbox)"
[ "$(field "$OUT/frozen.json" embedding_ok)" = "True" ] || fail "frozen app: the bundled embedding model does not work: $(field "$OUT/frozen.json" embedding)"
variant=$(field "$OUT/frozen.json" cpu_variant)
case "$variant" in ""|builtin) fail "frozen app: llama.cpp did not load a per-CPU variant ($variant)";; esac
# the variant was chosen by running it (a fresh profile: probed now), and `assistant doctor` says so
"$PY" -c 'import json,sys; r=json.loads(open(sys.argv[1]).read().splitlines()[-1]); p=r.get("cpu_probe") or {}; sys.exit(0 if p.get("source")=="probe" else "frozen app: the CPU code was not chosen by the probe: %r" % p)' "$OUT/frozen.json"
ASSISTANT_HOME="$OUT/doctor-home" "$APP" doctor >"$OUT/doctor.txt" 2>&1 || { cat "$OUT/doctor.txt" >&2; fail "frozen app: doctor failed"; }
grep -q "llama.cpp CPU code: $variant" "$OUT/doctor.txt" || { cat "$OUT/doctor.txt" >&2; fail "frozen app: doctor disagrees"; }

# a machine without any Chinese font (fontconfig sees no fonts at all): the app falls back to the CJK font
# it carries (the tarball keeps it; the .deb depends on the system's fonts instead)
mkdir -p "$OUT/nofonts"
printf '<?xml version="1.0"?>\n<fontconfig><dir>%s/nofonts/none</dir><cachedir>%s/nofonts/cache</cachedir></fontconfig>\n' \
  "$PWD/$OUT" "$PWD/$OUT" >"$OUT/nofonts/fonts.conf"
FONTCONFIG_FILE="$PWD/$OUT/nofonts/fonts.conf" self_test no-system-fonts "$APP"
[ -n "$(field "$OUT/no-system-fonts.json" cjk_font)" ] || fail "no CJK font without system fonts (the bundled one did not load)"

# --- 3. the .deb in a fresh root
install_root() {  # $1: root folder, $2: .deb
  mkdir -p "$1/var/lib/dpkg/info" "$1/var/lib/dpkg/updates" "$1/var/lib/dpkg/triggers"
  touch "$1/var/lib/dpkg/status"
  local force=(--force-depends)  # the root is empty: Qt's system libraries and fonts come from the host
  [ "$(id -u)" -eq 0 ] || force+=(--force-not-root)
  dpkg --root="$1" "${force[@]}" --log=/dev/null -i "$2" >"$OUT/dpkg-$(basename "$1").log" 2>&1 \
    || { cat "$OUT/dpkg-$(basename "$1").log" >&2; fail "dpkg could not install $2"; }
}
ROOT1="$PWD/$OUT/root"; install_root "$ROOT1" "$DEB"
dpkg --root="$ROOT1" -s assistant | grep -q "^Status: install ok installed" || fail "dpkg does not list assistant as installed"
[ -x "$ROOT1/usr/bin/assistant" ] || fail "no launcher in /usr/bin"
desktop-file-validate "$ROOT1/usr/share/applications/assistant.desktop" || fail "desktop-file-validate"
grep -q "application/x-gguf" "$ROOT1/usr/share/mime/packages/assistant.xml" || fail "no .gguf MIME type"
self_test deb "$ROOT1/usr/bin/assistant"
[ "$(field "$OUT/deb.json" ok)" = "True" ] || fail ".deb: not ok"
case "$(field "$OUT/deb.json" model_path)" in "$ROOT1"/opt/assistant/*) ;; *) fail ".deb: the model did not come from /opt/assistant";; esac

# --- 4. the variant that carries a model: starts on it
ROOT2="$PWD/$OUT/root-r1"; install_root "$ROOT2" "$DEB_R1"
self_test deb-r1 "$ROOT2/usr/bin/assistant"
case "$(field "$OUT/deb-r1.json" model_path)" in
  "$ROOT2"/opt/assistant/_internal/models/standin-model-Q4_1.gguf) ;;
  *) fail "variant: the app did not start on the model it carries";;
esac

# --- 5. an older CPU, emulated: SSE4.2 but no AVX
# PyInstaller's Linux bootloader starts the app again in a child process (with LD_LIBRARY_PATH set),
# and qemu-user would let that child run natively: so qemu runs the child stage directly, with the
# environment the bootloader gives it. The report's cpu_variant shows which code ran.
if command -v qemu-x86_64 >/dev/null 2>&1; then
  A="$PWD/build/package/dist/assistant"
  # the probe's child processes run under the same emulation (ASSISTANT_PROBE_PREFIX), so they test the
  # variants on the emulated CPU; Vulkan is left out there (ASSISTANT_GPU=off: emulating a GPU driver is slow)
  SELF_TEST_TIMEOUT=1500 self_test qemu-nehalem env ASSISTANT_PROBE_PREFIX="qemu-x86_64 -cpu Nehalem" ASSISTANT_GPU=off \
    _PYI_ARCHIVE_FILE="$A/assistant" _PYI_PARENT_PROCESS_LEVEL=1 \
    _PYI_APPLICATION_HOME_DIR="$A/_internal" LD_LIBRARY_PATH="$A/_internal" qemu-x86_64 -cpu Nehalem "$A/assistant"
  [ "$(field "$OUT/qemu-nehalem.json" ok)" = "True" ] || fail "qemu: not ok"
  [ "$(field "$OUT/qemu-nehalem.json" cpu_variant)" = "sse42" ] \
    || fail "qemu: expected llama.cpp's sse42 code on a Nehalem CPU, got $(field "$OUT/qemu-nehalem.json" cpu_variant)"
else
  fail "qemu-x86_64 is missing (apt install qemu-user): the portable build cannot be proven"
fi

# --- 6. size
size=$(stat -c %s "$DEB")
mib=$((size / 1048576))
say "$(basename "$DEB"): $mib MiB; window shown $(field "$OUT/frozen.json" window_shown_s) s after launch (frozen)"
[ "$size" -le $((250 * 1048576)) ] || fail "the .deb is $mib MiB, over 250 MiB"
say "packaging checks passed (reports in $OUT)"
