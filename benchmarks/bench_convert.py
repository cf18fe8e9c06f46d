"""Conversion throughput and peak memory on a synthetic >= 1 GB bf16 checkpoint (Qwen2-shaped).

    python benchmarks/bench_convert.py [--layers 2] [--outtypes auto,f32,f16] [--quant Q4_K_M] [--workdir DIR]

Writes a random bf16 checkpoint shaped like DeepSeek-R1-Distill-Qwen-1.5B (vocabulary 151936, hidden
1536, 12/2 heads, MLP 8960; fewer layers so it stays ~1.1 GB), in two shards with an index, plus a
small byte-level BPE tokenizer. Each conversion runs in its own subprocess, which reports its peak
resident memory (VmHWM) and, for reference, its RSS after the imports, before any conversion. The
table compares the output types side by side: MB/s of checkpoint read, peak RSS, and peak RSS divided
by the checkpoint size (target: below 0.5). Everything written is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.core.convert.tokenizer import QWEN2_REGEX  # noqa: E402

VOCAB, HIDDEN, HEADS, KV_HEADS, FFN = 151936, 1536, 12, 2, 8960
KV = KV_HEADS * (HIDDEN // HEADS)

# Peak RSS: Linux's VmHWM (this process image's high-water mark). Not ru_maxrss: Linux carries that
# over from the parent across fork+exec, so it would report the benchmark script's own memory.
CHILD = r"""
import json, resource, sys, time
from pathlib import Path
def peak_kib():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
import numpy, gguf  # imported before the baseline: they are part of any conversion
from assistant.core.convert.pipeline import convert_model
base = peak_kib()
t0 = time.perf_counter()
path = convert_model(Path(sys.argv[1]), outtype=sys.argv[2], quant=sys.argv[4] or None, out_dir=Path(sys.argv[3]))
dt = time.perf_counter() - t0
print(json.dumps({"seconds": dt, "peak_kib": peak_kib(), "base_kib": base, "out": str(path),
                  "out_bytes": path.stat().st_size}))
"""


def tensor_shapes(layers: int) -> dict[str, tuple[int, ...]]:
    shapes: dict[str, tuple[int, ...]] = {"model.embed_tokens.weight": (VOCAB, HIDDEN)}
    for i in range(layers):
        p = f"model.layers.{i}."
        shapes.update({
            p + "input_layernorm.weight": (HIDDEN,),
            p + "self_attn.q_proj.weight": (HIDDEN, HIDDEN), p + "self_attn.q_proj.bias": (HIDDEN,),
            p + "self_attn.k_proj.weight": (KV, HIDDEN), p + "self_attn.k_proj.bias": (KV,),
            p + "self_attn.v_proj.weight": (KV, HIDDEN), p + "self_attn.v_proj.bias": (KV,),
            p + "self_attn.o_proj.weight": (HIDDEN, HIDDEN),
            p + "post_attention_layernorm.weight": (HIDDEN,),
            p + "mlp.gate_proj.weight": (FFN, HIDDEN), p + "mlp.up_proj.weight": (FFN, HIDDEN),
            p + "mlp.down_proj.weight": (HIDDEN, FFN),
        })
    shapes["model.norm.weight"] = (HIDDEN,)
    shapes["lm_head.weight"] = (VOCAB, HIDDEN)
    return shapes


def write_shard(path: Path, shapes: dict[str, tuple[int, ...]], rng: np.random.Generator) -> int:
    """A bf16 safetensors file written in 32 MiB pieces (this script's own memory stays small)."""
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, shape in shapes.items():
        n = math.prod(shape) * 2
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + n]}
        offset += n
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(raw)) + raw)
        for shape in shapes.values():
            left = math.prod(shape)
            while left:
                k = min(left, 8 * 1024 * 1024)
                x = rng.standard_normal(k, dtype=np.float32) * 0.02
                fh.write((x.view(np.uint32) >> 16).astype(np.uint16).tobytes())
                left -= k
    return path.stat().st_size


def write_tokenizer(folder: Path) -> None:
    # the 256 byte-level symbols (printable bytes as themselves, the rest shifted past U+0100)
    printable = [*range(33, 127), *range(161, 173), *range(174, 256)]
    byte_tokens = [chr(c) for c in printable] + [chr(256 + i) for i in range(256 - len(printable))]
    vocab = {t: i for i, t in enumerate(byte_tokens)}
    merges = [["Ġ", "t"], ["Ġ", "a"], ["h", "e"]]
    for a, b in merges:
        vocab[a + b] = len(vocab)
    added = [{"id": 151643 + i, "content": c, "special": s, "normalized": False, "lstrip": False, "rstrip": False,
              "single_word": False}
             for i, (c, s) in enumerate([("<｜end▁of▁sentence｜>", True), ("<｜begin▁of▁sentence｜>", True),
                                         ("<think>", False), ("</think>", False)])]
    tok = {
        "version": "1.0", "added_tokens": added, "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": QWEN2_REGEX}, "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}]},
        "post_processor": None, "decoder": {"type": "ByteLevel"},
        "model": {"type": "BPE", "vocab": vocab, "merges": merges, "ignore_merges": False},
    }
    (folder / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False), encoding="utf-8")
    (folder / "tokenizer_config.json").write_text(json.dumps({
        "add_bos_token": True, "bos_token": "<｜begin▁of▁sentence｜>", "eos_token": "<｜end▁of▁sentence｜>",
        "chat_template": "{{ bos_token }}{% for m in messages %}{{ m['content'] }}{% endfor %}"}), encoding="utf-8")


def make_checkpoint(folder: Path, layers: int) -> int:
    folder.mkdir(parents=True)
    shapes = tensor_shapes(layers)
    names = list(shapes)
    split = names.index("model.layers.0.input_layernorm.weight")
    parts = [dict((n, shapes[n]) for n in names[:split]), dict((n, shapes[n]) for n in names[split:])]
    rng = np.random.default_rng(0)
    total = 0
    weight_map = {}
    for i, part in enumerate(parts):
        fname = f"model-{i + 1:05d}-of-{len(parts):05d}.safetensors"
        total += write_shard(folder / fname, part, rng)
        weight_map.update(dict.fromkeys(part, fname))
    (folder / "model.safetensors.index.json").write_text(json.dumps({"metadata": {}, "weight_map": weight_map}))
    (folder / "config.json").write_text(json.dumps({
        "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": HIDDEN,
        "intermediate_size": FFN, "num_hidden_layers": layers, "num_attention_heads": HEADS,
        "num_key_value_heads": KV_HEADS, "max_position_embeddings": 131072, "rope_theta": 10000.0,
        "rms_norm_eps": 1e-6, "vocab_size": VOCAB, "tie_word_embeddings": False, "hidden_act": "silu",
        "torch_dtype": "bfloat16"}))
    write_tokenizer(folder)
    return total


def run_one(src: Path, out: Path, outtype: str, quant: str) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    res = subprocess.run([sys.executable, "-c", CHILD, str(src), outtype, str(out), quant], env=env,
                         capture_output=True, text=True, cwd=REPO)
    if res.returncode != 0:
        raise SystemExit(f"conversion failed ({outtype}):\n{res.stderr[-2000:]}")
    data: dict[str, float] = json.loads(res.stdout.strip().splitlines()[-1])
    Path(str(data["out"])).unlink()
    return data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--layers", type=int, default=2, help="decoder layers (2 gives ~1.1 GB)")
    ap.add_argument("--outtypes", default="auto,f32,f16", help="comma-separated output types to measure")
    ap.add_argument("--quant", default="", help="also quantize (e.g. Q4_K_M): measures convert + llama.cpp")
    ap.add_argument("--workdir", type=Path, help="where to put the synthetic files (default: a temp folder)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-convert-", dir=args.workdir))
    try:
        src = work / "Synthetic-Qwen2-bf16"
        t0 = time.perf_counter()
        size = make_checkpoint(src, args.layers)
        print(f"synthetic checkpoint: {size / 1e9:.2f} GB bf16, {args.layers} layers, Qwen2 shapes "
              f"(vocab {VOCAB}, hidden {HIDDEN}), written in {time.perf_counter() - t0:.1f} s")
        if size < 1e9:
            print("warning: below 1 GB; use --layers 2 or more")
        rows = []
        jobs = [(o, "") for o in args.outtypes.split(",") if o] + ([("auto", args.quant)] if args.quant else [])
        for outtype, quant in jobs:
            r = run_one(src, work / "out", outtype, quant)
            peak = r["peak_kib"] * 1024
            rows.append((outtype + (f" + {quant}" if quant else ""), size / 1e6 / r["seconds"], r["seconds"],
                         r["out_bytes"] / 1e9, peak / 2**20, r["base_kib"] / 1024, peak / size))
        print()
        print(f"{'output':<16}{'MB/s':>8}{'seconds':>9}{'out GB':>8}{'peak RSS MiB':>14}{'after imports':>15}"
              f"{'peak/size':>11}")
        for name, mbs, sec, out_gb, peak_mib, base_mib, ratio in rows:
            print(f"{name:<16}{mbs:>8.0f}{sec:>9.1f}{out_gb:>8.2f}{peak_mib:>14.0f}{base_mib:>15.0f}{ratio:>11.3f}")
        worst = max(r[-1] for r in rows)
        print(f"\nworst peak/size ratio {worst:.3f} (target < 0.5): {'OK' if worst < 0.5 else 'ABOVE TARGET'}")
        return 0 if worst < 0.5 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
