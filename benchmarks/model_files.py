"""Model-file handling, side by side: header validation, load overhead, download speed and resume.

    python benchmarks/model_files.py [--size-mb 200]

1. Reading the bundled model's header: assistant.core.models.gguf_check.validate vs gguf-py's GGUFReader.
2. Loading the bundled model: llama.cpp alone vs the app's path (validation + trusted-file check).
3. Downloading a file from a hub look-alike on 127.0.0.1: our resumable download_file vs
   huggingface_hub.hf_hub_download (both through the same huggingface_hub HTTP client).
4. After an interruption at 50 % and a restart: bytes fetched again by each (ours resumes; since
   huggingface_hub 1.x, hf_hub_download deletes its temporary file on failure and starts over).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def fresh_process(code: str) -> float:
    """Seconds a snippet takes in a new interpreter (imports included), as printed by the snippet."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=int, default=200, help="size of the file served for the download test")
    args = ap.parse_args()
    from assistant.core.models.catalog import find_bundled_model

    model = find_bundled_model()
    print(f"bundled model: {model.name} ({model.stat().st_size / 1e6:.0f} MB)\n")

    # 1. header
    ours = fresh_process(
        "import time,llama_cpp;t=time.perf_counter();from assistant.core.models.gguf_check import validate;"
        f"validate({str(model)!r});print(time.perf_counter()-t)")
    theirs = fresh_process(
        f"import time,llama_cpp;t=time.perf_counter();from gguf import GGUFReader;GGUFReader({str(model)!r});"
        "print(time.perf_counter()-t)")
    print(f"1. header, fresh process:   gguf_check.validate {ours:.3f} s | gguf.GGUFReader {theirs:.3f} s "
          f"| ratio {theirs / ours:.0f}x")

    # 2. load
    plain = fresh_process(
        f"import time,llama_cpp;t=time.perf_counter();llama_cpp.Llama({str(model)!r},n_ctx=2048,verbose=False);"
        "print(time.perf_counter()-t)")
    app = fresh_process(
        "import time,llama_cpp;t=time.perf_counter();from assistant.core.backends.llama_cpp import LlamaCppBackend;"
        f"LlamaCppBackend({str(model)!r},n_ctx=2048);print(time.perf_counter()-t)")
    print(f"2. load bundled model:      llama.cpp alone {plain:.3f} s | app path (validated) {app:.3f} s "
          f"| overhead {app - plain:+.3f} s")

    # 3 and 4. downloads
    from huggingface_hub import hf_hub_download

    from assistant.core.models.downloads import download_file
    from assistant.core.offline import hub_online
    from tests.core.hubserver import HubServer

    data = os.urandom(args.size_mb * 1_000_000)
    with tempfile.TemporaryDirectory() as tmp, HubServer() as hub:
        hub.state.add("bench/model", "model.bin", data)
        os.environ["ASSISTANT_HOME"] = str(Path(tmp) / "home")

        def ours_dl() -> None:
            p = download_file("bench/model", "model.bin", endpoint=hub.url, use_hf_cache=False, check_gguf=False)
            p.path.unlink()
            p.path.with_name(p.path.name + ".verified").unlink(missing_ok=True)

        def theirs_dl() -> None:
            with hub_online():
                p = hf_hub_download("bench/model", "model.bin", endpoint=hub.url, cache_dir=str(Path(tmp) / "c"),
                                    force_download=True)
            Path(p).unlink()

        t_ours, t_theirs = timed(ours_dl, 2), timed(theirs_dl, 2)
        mb = len(data) / 1e6
        print(f"3. download {mb:.0f} MB:         download_file {mb / t_ours:.0f} MB/s (incl. sha256 check) | "
              f"hf_hub_download {mb / t_theirs:.0f} MB/s | ratio {t_theirs / t_ours:.2f}")

        half = len(data) // 2
        for name, fn in (("download_file", lambda: download_file("bench/model", "model.bin", endpoint=hub.url,
                                                                use_hf_cache=False, check_gguf=False)),
                         ("hf_hub_download", theirs_dl)):
            hub.state.faults.drop_after, hub.state.faults.fail_gets = half, 10
            try:
                fn()
            except Exception:  # the interruption
                pass
            hub.state.faults.fail_gets = 0
            before = sum(e["sent"] for e in hub.state.gets())
            fn()
            again = sum(e["sent"] for e in hub.state.gets()) - before
            print(f"4. resume after a cut at 50 %, {name:15}: fetched {again / 1e6:6.1f} MB again "
                  f"({again / len(data):.0%} of the file)")


if __name__ == "__main__":
    main()
