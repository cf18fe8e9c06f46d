#!/usr/bin/env bash
# Build the macOS app and its disk image: dist/Assistant-<version>.dmg (for this Mac's architecture).
#
# NOT BUILT OR RUN ON macOS BY US YET: written from the documentation of pip, llama-cpp-python,
# PyInstaller, sips/iconutil, codesign and hdiutil. The Linux build is what CI builds and tests.
#
#   bash packaging/macos/build_macos.sh
#   PYTHON=/Library/Frameworks/Python.framework/Versions/3.11/bin/python3 bash packaging/macos/build_macos.sh
#   MACOS_SIGN_IDENTITY="Developer ID Application: Name (TEAMID)" MACOS_NOTARY_PROFILE=assistant \
#     bash packaging/macos/build_macos.sh
#
# Steps (set -e: any failure stops it):
#   1. .venv with Python 3.11 ($PYTHON; python.org's build, so the app runs on macOS 11+).
#   2. llama-cpp-python 0.3.36 compiled once into a wheel cache: Apple silicon with Metal (llama.cpp's
#      default there); Intel with every x86-64 CPU variant (libggml-cpu-*.so), picked at run time.
#   3. the app (.[gui]) and PyInstaller.
#   4. the bundled model (packaging/fetch_default_model.py, verified by size and sha256).
#   5. build/package/assistant.icns from resources/icons/assistant.png (sips + iconutil).
#   6. python packaging/build.py app -> build/package/dist/Assistant.app (assistant.spec's BUNDLE).
#   7. code signing: ad-hoc (codesign -s -) unless MACOS_SIGN_IDENTITY names a certificate.
#   8. Assistant.app/Contents/MacOS/assistant --self-test (loads the model, answers one prompt, exits 0).
#   9. dist/Assistant-<version>.dmg (Assistant.app + a link to /Applications); notarized only when
#      MACOS_SIGN_IDENTITY and MACOS_NOTARY_PROFILE are both set, else a hint is printed.
#
# Environment: PYTHON (default python3.11), ASSISTANT_VENV (default .venv), MACOS_SIGN_IDENTITY,
# MACOS_ENTITLEMENTS (a .plist for the hardened runtime), MACOS_NOTARY_PROFILE (a notarytool keychain
# profile), SKIP_SELF_TEST=1 (not for releases). Prerequisites: packaging/macos/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
PY="${PYTHON:-python3.11}"
VENV="${ASSISTANT_VENV:-.venv}"
VPY="$VENV/bin/python"
LLAMA_VERSION="0.3.36"
ARCH="$(uname -m)"
BUILD="build/package"
APP="$BUILD/dist/Assistant.app"
ICNS="$ROOT/$BUILD/assistant.icns"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { printf '\033[1;31mFAILED: %s\033[0m\n' "$*" >&2; exit 1; }

[ "$(uname)" = "Darwin" ] || fail "this script builds the macOS app; on Linux use packaging/build.py"
# The oldest macOS the app supports (assistant.spec's LSMinimumSystemVersion, PySide6's minimum).
export MACOSX_DEPLOYMENT_TARGET="${MACOSX_DEPLOYMENT_TARGET:-11.0}"

# --- 1. virtual environment
if [ ! -x "$VPY" ]; then
  command -v "$PY" >/dev/null 2>&1 || fail "$PY not found: install Python 3.11 from python.org or set PYTHON"
  say "creating $VENV with $PY"
  "$PY" -m venv "$VENV"
  "$VPY" -m pip install -q --disable-pip-version-check --upgrade pip wheel setuptools
fi
PIP=("$VPY" -m pip --disable-pip-version-check)
"$VPY" -c 'import sys; assert sys.version_info >= (3, 10), sys.version'

# --- 2. llama-cpp-python
case "$ARCH" in
  arm64)
    # Metal for the GPU (on by default on Apple silicon; said here so it is clear). GGML_NATIVE=OFF:
    # -mcpu=native on an M2/M3 build machine would use instructions (i8mm, bf16) an M1 lacks; without
    # it Apple clang targets apple-m1, which every Apple silicon Mac runs.
    LLAMA_FLAGS="-DGGML_METAL=ON -DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF"
    FLAVOUR="metal" ;;
  x86_64)
    # As on Linux: every CPU variant as a loadable module (libggml-cpu-x64.so ... -zen4.so; ggml uses
    # .so for its modules on macOS too), the best one picked at run time. No Metal: Intel Macs' GPUs are
    # rarely faster than their CPU with llama.cpp.
    LLAMA_FLAGS="-DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON -DGGML_METAL=OFF -DCMAKE_INSTALL_BINDIR=llama_cpp/lib -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF"
    FLAVOUR="x86-64-dispatch" ;;
  *) fail "unsupported architecture: $ARCH" ;;
esac
WHEELS="${XDG_CACHE_HOME:-$HOME/Library/Caches}/assistant/wheels/llama-macos-$ARCH-$FLAVOUR"
if ! ls "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
  command -v cmake >/dev/null 2>&1 || say "no cmake on PATH: pip will fetch one for the build"
  xcode-select -p >/dev/null 2>&1 || fail "no compiler: install the Xcode command line tools (xcode-select --install)"
  say "compiling llama-cpp-python $LLAMA_VERSION ($FLAVOUR), once"
  mkdir -p "$WHEELS"
  CMAKE_ARGS="$LLAMA_FLAGS" CMAKE_BUILD_PARALLEL_LEVEL="$(sysctl -n hw.ncpu)" \
    "${PIP[@]}" wheel -q --no-deps --no-cache-dir "llama-cpp-python==$LLAMA_VERSION" -w "$WHEELS"
fi

# --- 3. the app and PyInstaller
say "installing the app and PyInstaller into $VENV"
"${PIP[@]}" install -q --find-links "$WHEELS" "llama-cpp-python==$LLAMA_VERSION"
"${PIP[@]}" install -q --find-links "$WHEELS" -e ".[gui]" "pyinstaller>=6.10"
if [ "$ARCH" = "x86_64" ]; then
  lib="$("$VPY" -c 'import importlib.util, pathlib; print(pathlib.Path(importlib.util.find_spec("llama_cpp").origin).parent / "lib")')"
  for v in x64 sse42 haswell; do
    ls "$lib"/libggml-cpu-"$v".* >/dev/null 2>&1 \
      || fail "llama-cpp-python is not the portable build (no libggml-cpu-$v in $lib): delete $WHEELS and run again"
  done
fi

# --- 4. the bundled model
"$VPY" packaging/fetch_default_model.py

# --- 5. the icon: an .icns from the 256 px PNG (no larger source: sizes above 256 are left out rather
#        than blown up; Finder scales the 256 px one for its largest views)
say "icon: $ICNS"
iconset="$BUILD/assistant.iconset"
rm -rf "$iconset"; mkdir -p "$iconset"
png="resources/icons/assistant.png"
for s in 16 32 128 256; do
  sips -z "$s" "$s" "$png" --out "$iconset/icon_${s}x${s}.png" >/dev/null
done
for s in 16 32 128; do
  d=$((s * 2))
  sips -z "$d" "$d" "$png" --out "$iconset/icon_${s}x${s}@2x.png" >/dev/null
done
iconutil -c icns "$iconset" -o "$ICNS"

# --- 6. the app (PyInstaller: packaging/assistant.spec makes Assistant.app with BUNDLE)
rm -rf "$APP"
ASSISTANT_BUILD_ICON="$ICNS" "$VPY" packaging/build.py app
[ -x "$APP/Contents/MacOS/assistant" ] || fail "PyInstaller did not make $APP"
VERSION="$("$VPY" -c 'import sys; sys.path.insert(0, "packaging"); import build; print(build.version())')"

# --- 7. code signing (before the self-test, so that the signed app is what is tested)
IDENTITY="${MACOS_SIGN_IDENTITY:--}"
xattr -cr "$APP"  # Finder metadata / quarantine flags make codesign refuse
if [ "$IDENTITY" = "-" ]; then
  say "codesign: ad-hoc (runs on this Mac; other Macs need right-click > Open, or a Developer ID)"
  codesign --force --deep -s - "$APP"
else
  say "codesign: $IDENTITY (hardened runtime, secure timestamp)"
  ent=()
  [ -n "${MACOS_ENTITLEMENTS:-}" ] && ent=(--entitlements "$MACOS_ENTITLEMENTS")
  codesign --force --deep --options runtime --timestamp ${ent[@]+"${ent[@]}"} -s "$IDENTITY" "$APP"
fi
codesign --verify --deep --strict "$APP"

# --- 8. the frozen app's self-test: a fresh temporary profile, the bundled model, one answer. It opens
#        a window: run it in a logged-in session (over SSH: QT_QPA_PLATFORM=offscreen).
if [ "${SKIP_SELF_TEST:-0}" != "1" ]; then
  out="$BUILD/check"; mkdir -p "$out"
  say "self-test: $APP/Contents/MacOS/assistant --self-test"
  rc=0
  "$APP/Contents/MacOS/assistant" --self-test >"$out/macos-self-test.json" 2>"$out/macos-self-test.log" || rc=$?
  tail -n 1 "$out/macos-self-test.json" >&2 || true
  [ "$rc" -eq 0 ] || { tail -n 20 "$out/macos-self-test.log" >&2; fail "the self-test exited $rc"; }
  "$VPY" - "$out/macos-self-test.json" <<'EOF' || fail "the self-test report is not ok"
import json, sys
r = json.loads(open(sys.argv[1], encoding="utf-8").read().splitlines()[-1])
sys.exit(0 if r.get("ok") and r.get("frozen") else 1)
EOF
  # Checksum stamps go to the user's cache folder, never into the bundle; this guards against one left
  # by an older build, which would break the signature.
  find "$APP" -name '*.verified' -delete
  codesign --verify --deep --strict "$APP" || fail "the self-test changed the signed app"
fi

# --- 9. the disk image
DMG="dist/Assistant-$VERSION.dmg"
stage="$BUILD/dmg"
rm -rf "$stage"; mkdir -p "$stage" dist
ditto "$APP" "$stage/Assistant.app"  # ditto keeps the bundle's symlinks and signatures intact
ln -s /Applications "$stage/Applications"
say "disk image: $DMG"
hdiutil create -volname Assistant -srcfolder "$stage" -ov -format UDZO "$DMG"
if [ "$IDENTITY" != "-" ]; then
  codesign --force --timestamp -s "$IDENTITY" "$DMG"
  if [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
    say "notarizing $DMG (profile $MACOS_NOTARY_PROFILE)"
    xcrun notarytool submit "$DMG" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
    xcrun stapler staple "$DMG"
  fi
fi
if [ "$IDENTITY" = "-" ] || [ -z "${MACOS_NOTARY_PROFILE:-}" ]; then
  cat >&2 <<EOF
Not notarized: Gatekeeper on other Macs will refuse it until it is opened with right-click > Open.
To notarize: sign with a Developer ID (MACOS_SIGN_IDENTITY="Developer ID Application: ..."), store a
notarytool profile once (xcrun notarytool store-credentials NAME --apple-id ... --team-id ...), then
set MACOS_NOTARY_PROFILE=NAME and run this again (it runs notarytool submit --wait and stapler staple).
EOF
fi
say "$DMG ($(du -h "$DMG" | cut -f1))"
