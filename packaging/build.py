"""Build the packaged app: the one-folder app (PyInstaller), the .deb and a self-contained tarball.

    python packaging/build.py                       # app + .deb + tarball into dist/
    python packaging/build.py app deb               # only those
    python packaging/build.py deb --with-model ~/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf
                                                    # + the variant that carries that model and starts on it

``bash packaging/bootstrap.sh package`` installs what the build needs and runs this. The app is built
once; each package is a staged copy of it (the variant only adds the model and ``models/bundle.json``).
What goes in and why, and what was tested where: packaging/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "package"
DIST = ROOT / "dist"
LINUX = ROOT / "packaging" / "linux"
CJK_FONTS = [Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
             Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")]
# Qt's xcb platform plugin and the fonts stack come from the system (PyInstaller leaves the graphics
# stack out on purpose: it must match the machine's drivers).
DEB_DEPENDS = ["libegl1", "libgl1", "libfontconfig1", "libfreetype6", "libglib2.0-0", "libdbus-1-3",
               "libxkbcommon0", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1",
               "libxcb-shape0", "libxcb-xinerama0", "libxcb-randr0", "libxcb-render-util0", "libxcb-image0",
               "libx11-xcb1", "fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei"]


def say(msg: str) -> None:
    print(f"==> {msg}", flush=True)


def version() -> str:
    m = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    return m.group(1) if m else "0.0.0"


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def bundled_model(model_id: str = "") -> Path:
    """A bundled model (the default chat model, or ``model_id``: the embedding model), checked against the
    catalog's size and sha256 (no stamp: a full check)."""
    from assistant.core.errors import AssistantError
    from assistant.core.models.catalog import DEFAULT_MODEL_ID, find_bundled_model, get_entry, verify_file

    entry = get_entry(model_id or DEFAULT_MODEL_ID)
    assert entry is not None and entry.bundled is not None
    try:
        path = find_bundled_model(entry)
        verify_file(path, entry.bundled["size"], entry.bundled["sha256"], use_stamp=False)
    except AssistantError as exc:
        sys.exit(f"{exc.user_text()}\nRun `python packaging/fetch_default_model.py` first.")
    return path


def check_portable_llama() -> list[str]:
    """The CPU variants the installed llama-cpp-python ships; refuses a build that has none on x86-64."""
    from assistant.core.runtime.llama import cpu_variants

    variants = cpu_variants()
    if (platform.machine().lower() in ("x86_64", "amd64") and not {"x64", "sse42", "haswell"} <= set(variants)
            and not os.environ.get("ASSISTANT_ALLOW_NATIVE_LLAMA")):  # development only
        sys.exit("llama-cpp-python here is not the portable build (no libggml-cpu-<variant>.so): an app built "
                 "from it could die with SIGILL on another CPU. Build it with packaging/bootstrap.sh.")
    return variants


# --------------------------------------------------------------------------------------------------
# the one-folder app

def build_app() -> Path:
    variants = check_portable_llama()
    say(f"llama.cpp CPU variants: {', '.join(variants) or 'built in'}")
    stage = BUILD / "models"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    from assistant.core.embed.models import EMBEDDING_MODEL_ID

    # the chat model and the embedding model for documents (issue 24): both work offline from the first start
    for src in (bundled_model(), bundled_model(EMBEDDING_MODEL_ID)):
        os.link(src, stage / src.name) if src.stat().st_dev == stage.stat().st_dev else shutil.copy2(src, stage)
    font = next((f for f in CJK_FONTS if f.is_file()), None)
    fonts = BUILD / "fonts"
    shutil.rmtree(fonts, ignore_errors=True)
    if font:
        fonts.mkdir(parents=True)
        shutil.copy2(font, fonts / font.name)
    else:
        say("warning: no CJK font found to carry; the tarball will rely on the system's fonts")
    env = dict(os.environ, ASSISTANT_BUILD_MODELS=str(stage), ASSISTANT_BUILD_FONTS=str(fonts) if font else "",
               ASSISTANT_VERSION=version())
    say("PyInstaller: freezing the app")
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(BUILD / "dist"), "--workpath", str(BUILD / "work"),
                    str(ROOT / "packaging" / "assistant.spec")], check=True, env=env, cwd=ROOT)
    app = BUILD / "dist" / "assistant"
    say(f"app: {app} ({du(app) / 2**20:.0f} MiB, {time.monotonic() - t0:.0f} s)")
    return app


def internal(app: Path) -> Path:
    return app / "_internal"


def stage_variant(app: Path, model: Path | None, dest: Path, *, keep_font: bool) -> Path:
    """A copy of the app to package; with ``model``, that model inside and named as the one to start on."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(app, dest, symlinks=True, copy_function=_link_or_copy)
    if not keep_font:
        shutil.rmtree(internal(dest) / "resources" / "fonts", ignore_errors=True)
    if model is not None:
        from assistant.core.errors import AssistantError
        from assistant.core.models.gguf_check import validate

        try:
            validate(model)  # a damaged or unsupported file is refused now, not on the user's machine
        except AssistantError as exc:
            sys.exit(f"{model}: {exc.user_text()}")
        models = internal(dest) / "models"
        _link_or_copy(str(model), str(models / model.name))
        (models / "bundle.json").write_text(json.dumps({"default_model": model.name}, indent=1) + "\n")
    return dest


def _link_or_copy(src: str, dst: str) -> str:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


# --------------------------------------------------------------------------------------------------
# .deb

def glibc_needed(tree: Path) -> str:
    """The newest GLIBC_x.y symbol version any bundled ELF file asks for (the libc6 dependency)."""
    best = (2, 17)
    pat = re.compile(rb"GLIBC_(2\.\d+)(?:\.\d+)?\x00")
    for p in tree.rglob("*"):
        if p.is_file() and not p.is_symlink():
            with open(p, "rb") as fh:
                if fh.read(4) != b"\x7fELF":
                    continue
                data = fh.read()
            for m in pat.finditer(data):
                v = tuple(int(x) for x in m.group(1).decode().split("."))
                best = max(best, (v[0], v[1]))
    return f"{best[0]}.{best[1]}"


def build_deb(app: Path, *, model: Path | None = None) -> Path:
    name = "assistant-r1" if model is not None else "assistant"
    root = BUILD / f"deb-{name}"
    shutil.rmtree(root, ignore_errors=True)
    opt = root / "opt" / "assistant"
    opt.parent.mkdir(parents=True)
    stage_variant(app, model, opt, keep_font=False)
    (root / "usr" / "bin").mkdir(parents=True)
    shutil.copy2(LINUX / "launcher.sh", root / "usr" / "bin" / "assistant")
    os.chmod(root / "usr" / "bin" / "assistant", 0o755)
    for rel, src in [("usr/share/applications/assistant.desktop", LINUX / "assistant.desktop"),
                     ("usr/share/mime/packages/assistant.xml", LINUX / "assistant-gguf.xml"),
                     ("usr/share/icons/hicolor/256x256/apps/assistant.png", ROOT / "resources/icons/assistant.png"),
                     ("usr/share/icons/hicolor/48x48/apps/assistant.png", ROOT / "resources/icons/assistant-48.png"),
                     ("usr/share/icons/hicolor/scalable/apps/assistant.svg", ROOT / "resources/icons/assistant.svg")]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, root / rel)
    doc = root / "usr" / "share" / "doc" / name
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Assistant: Apache-2.0.\nBundled: CPython (PSF), Qt 6 / PySide6 (LGPL-3.0), llama.cpp (MIT),\n"
        "SmolLM2-135M-Instruct (Apache-2.0)" + (f", {model.name} (its own licence)" if model else "") + ".\n")
    depends = [f"libc6 (>= {glibc_needed(opt)})", *DEB_DEPENDS]
    other = "assistant" if name == "assistant-r1" else "assistant-r1"
    control = {
        "Package": name, "Version": version(), "Section": "utils", "Priority": "optional",
        "Architecture": "amd64" if platform.machine() == "x86_64" else platform.machine(),
        "Maintainer": "Assistant developers <maintainers@users.noreply.example>",
        "Installed-Size": str(du(root) // 1024),
        # Recommends: the Vulkan GPU module's loader; bubblewrap, the sandbox for code from answers (without it
        # chat works and running code is refused with a hint, so it is not a hard dependency)
        "Depends": ", ".join(depends), "Recommends": "libvulkan1, bubblewrap",
        "Conflicts": other, "Replaces": other, "Provides": "assistant-app",
        "Description": "Offline desktop AI assistant for small local reasoning models\n"
        " Chat with DeepSeek-R1-Distill and other GGUF models through llama.cpp, fully offline.\n"
        " Includes the small SmolLM2-135M-Instruct model so it works from the first launch"
        + (f";\n this variant also carries {model.name} and starts on it." if model else "."),
    }
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text("".join(f"{k}: {v}\n" for k, v in control.items()))
    out = DIST / f"{name}_{version()}_{control['Architecture']}.deb"
    DIST.mkdir(exist_ok=True)
    # A quantized model barely compresses: the variant that carries one uses a fast setting.
    comp = ["-Zxz", "-z1"] if model is not None else ["-Zxz", "-z9"]
    say(f"dpkg-deb: {out.name}")
    subprocess.run(["dpkg-deb", "--root-owner-group", *comp, "--build", str(root), str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    say(f"{out} ({out.stat().st_size / 2**20:.1f} MiB)")
    return out


def build_tarball(app: Path) -> Path:
    stage = BUILD / "tar" / f"assistant-{version()}"
    stage.parent.mkdir(parents=True, exist_ok=True)
    stage_variant(app, None, stage, keep_font=True)
    shutil.copy2(LINUX / "assistant.desktop", stage / "assistant.desktop")
    shutil.copy2(ROOT / "resources/icons/assistant.png", stage / "assistant.png")
    out = DIST / f"assistant-{version()}-linux-{platform.machine()}.tar.xz"
    DIST.mkdir(exist_ok=True)
    say(f"tarball: {out.name}")
    with tarfile.open(out, "w:xz", preset=6) as tar:
        tar.add(stage, arcname=stage.name)
    say(f"{out} ({out.stat().st_size / 2**20:.1f} MiB)")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", nargs="*", help="app, deb, tarball (default: all three)")
    ap.add_argument("--with-model", type=Path, metavar="GGUF",
                    help="also build assistant-r1: the .deb that carries this model and starts on it")
    ap.add_argument("--reuse-app", action="store_true", help="package the app already in build/package/dist")
    args = ap.parse_args(argv)
    what = set(args.what or ["app", "deb", "tarball"])
    if what - {"app", "deb", "tarball"}:
        ap.error(f"unknown: {' '.join(sorted(what - {'app', 'deb', 'tarball'}))} (choose app, deb, tarball)")
    app = BUILD / "dist" / "assistant"
    if "app" in what and not args.reuse_app:
        app = build_app()
    elif not any((app / n).is_file() for n in ("assistant", "Assistant.exe")):
        sys.exit(f"{app} is not built yet: run `python packaging/build.py app` first")
    if "deb" in what:
        build_deb(app)
        if args.with_model:
            build_deb(app, model=args.with_model.expanduser().resolve())
    if "tarball" in what:
        build_tarball(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
