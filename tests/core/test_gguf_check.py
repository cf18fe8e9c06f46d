"""A corpus of broken model files: each gets a clear error, and nothing reaches llama.cpp or kills the app."""

from __future__ import annotations

import json
import random
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.core.errors import AssistantError, InvalidModelError, ModelLoadError, UnsupportedModelError
from assistant.core.models import gguf_check
from assistant.core.models.gguf_check import SUPPORTED_ARCHITECTURES, validate

from .ggufgen import write_tiny_llama

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_llama(tmp_path_factory.mktemp("tiny") / "tiny.gguf")


def _layout(path: Path) -> dict[str, object]:
    """Byte offsets of header fields, from gguf-py's reader (fine on this small, valid file)."""
    from gguf import GGUFReader

    r = GGUFReader(str(path))
    kv = {name: f.offset for name, f in r.fields.items() if not name.startswith("GGUF.")}
    tensors = [t.field.offset for t in r.tensors]
    return {"kv": kv, "tensors": tensors, "data_offset": r.data_offset}


def _tensor_field(data: bytes, at: int) -> dict[str, int]:
    """Offsets inside one tensor-info record starting at ``at``."""
    (name_len,) = struct.unpack_from("<Q", data, at)
    ndims_at = at + 8 + name_len
    (ndims,) = struct.unpack_from("<I", data, ndims_at)
    type_at = ndims_at + 4 + 8 * ndims
    return {"ndims": ndims_at, "dim0": ndims_at + 4, "type": type_at, "offset": type_at + 4}


def _patch(data: bytes, at: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, at, value)
    return bytes(out)


def broken_corpus(tiny: Path, out: Path) -> dict[str, Path]:
    """name -> file. Every one of these must be refused before llama.cpp sees it."""
    base = tiny.read_bytes()
    lay = _layout(tiny)
    kv: dict[str, int] = lay["kv"]  # type: ignore[assignment]
    t0, t3 = (_tensor_field(base, lay["tensors"][i]) for i in (0, 3))  # type: ignore[index]
    files: dict[str, bytes] = {
        "empty": b"",
        "html-page": b"<!DOCTYPE html><html><head><title>Hugging Face</title></head><body>Sign in</body></html>\n" * 40,
        "lfs-pointer": b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"ab" * 32 + b"\nsize 1117320736\n",
        "json-error": b'{"error":"Repository not found"}',
        "zip": b"PK\x03\x04" + bytes(200),
        "old-ggjt": b"tjgg" + bytes(100),
        "random-bytes": random.Random(1).randbytes(300_000),
        "magic-then-random": b"GGUF" + random.Random(2).randbytes(300_000),
        "version-1": _patch(base, 4, "<I", 1),
        "version-99": _patch(base, 4, "<I", 99),
        "big-endian": _patch(base, 4, ">I", 3),
        "tensor-count-huge": _patch(base, 8, "<Q", 1 << 62),
        "tensor-count-plus-one": _patch(base, 8, "<Q", struct.unpack_from("<Q", base, 8)[0] + 1),
        "tensor-count-zero": _patch(base, 8, "<Q", 0),
        "kv-count-huge": _patch(base, 16, "<Q", (1 << 64) - 1),
        "kv-count-plus-one": _patch(base, 16, "<Q", struct.unpack_from("<Q", base, 16)[0] + 1),
        "key-length-huge": _patch(base, kv["general.architecture"], "<Q", 1 << 40),
        "value-type-unknown": _patch(base, kv["general.architecture"] + 8 + len("general.architecture"), "<I", 99),
        "token-array-length-huge": _patch(base, kv["tokenizer.ggml.tokens"] + 8 + len("tokenizer.ggml.tokens") + 8,
                                          "<Q", 1 << 60),
        "score-array-length-huge": _patch(base, kv["tokenizer.ggml.scores"] + 8 + len("tokenizer.ggml.scores") + 8,
                                          "<Q", 1 << 61),
        "tensor-ndims-zero": _patch(base, t0["ndims"], "<I", 0),
        "tensor-ndims-five": _patch(base, t0["ndims"], "<I", 5),
        "tensor-dim-huge": _patch(base, t0["dim0"], "<Q", 1 << 62),
        "tensor-dim-odd": _patch(_patch(base, t0["type"], "<I", 8), t0["dim0"], "<Q", 63),  # Q8_0: 32-wide blocks
        "tensor-type-removed": _patch(base, t0["type"], "<I", 4),  # Q4_2, removed from ggml
        "tensor-type-unknown": _patch(base, t0["type"], "<I", 1000),
        "tensor-offset-huge": _patch(base, t3["offset"], "<Q", 1 << 60),
        "tensor-offset-misaligned": _patch(base, t3["offset"], "<Q",
                                           struct.unpack_from("<Q", base, t3["offset"])[0] + 1),
        "tensor-offset-overlap": _patch(base, t3["offset"], "<Q", 0),
    }
    data_offset: int = lay["data_offset"]  # type: ignore[assignment]
    cuts = sorted({1, 3, 4, 7, 8, 15, 16, 23, 24, 25, 60, kv["tokenizer.ggml.tokens"] + 40, data_offset - 1,
                   data_offset, data_offset + 1, len(base) - 1, *range(1000, len(base), len(base) // 25)})
    for cut in cuts:
        files[f"truncated-at-{cut}"] = base[:cut]
    paths = {}
    for name, data in files.items():
        p = out / f"{name}.gguf"
        p.write_bytes(data)
        paths[name] = p
    # Well-formed files that llama.cpp cannot (or must not) run.
    paths["unsupported-architecture"] = write_tiny_llama(out / "arch.gguf", arch="totally-new-arch")
    paths["vision-projector"] = write_tiny_llama(out / "clip.gguf", arch="clip")
    paths["broken-chat-template"] = write_tiny_llama(out / "tmpl.gguf", template="{% for m in messages %}{{ m }")
    paths["no-byte-tokens"] = _without_byte_tokens(out / "nobytes.gguf")
    return paths


def _without_byte_tokens(path: Path) -> Path:
    """A SentencePiece vocabulary without <0xNN> tokens: real llama.cpp aborts on Chinese text with it."""
    import gguf

    orig = gguf.GGUFWriter

    class Writer(orig):  # type: ignore[misc, valid-type]
        def add_token_list(self, tokens: list[str]) -> None:
            super().add_token_list([t if not t.startswith("<0x") else f"piece{i}" for i, t in enumerate(tokens)])

    gguf.GGUFWriter = Writer
    try:
        return write_tiny_llama(path)
    finally:
        gguf.GGUFWriter = orig


@pytest.fixture(scope="module")
def corpus(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return broken_corpus(tiny, tmp_path_factory.mktemp("corpus"))


def test_valid_files_pass(tiny: Path, bundled_model: Path) -> None:
    info = validate(tiny)
    assert (info.architecture, info.block_count, info.vocab_size, info.family) == ("llama", 2, 268, "chatml")
    b = validate(bundled_model)
    assert (b.architecture, b.quantization, b.n_tensors, b.context_length) == ("llama", "Q4_1", 272, 8192)
    assert b.kv_bytes_per_token == 30 * 3 * (64 + 64) * 2  # 30 layers, 3 KV heads of 64: 23040 B/token
    assert b.family == "chatml" and b.vocab_size == 49152


def test_every_broken_file_gets_a_clear_error(corpus: dict[str, Path]) -> None:
    assert len(corpus) > 60
    for name, path in corpus.items():
        gguf_check._cache.clear()
        with pytest.raises(InvalidModelError) as info:
            validate(path)
        err = info.value
        assert path.name in err.message and len(err.reason) > 15, name
        assert err.hint and err.title, name
    unsupported = {"unsupported-architecture", "vision-projector", "old-ggjt", "version-1", "big-endian",
                   "no-byte-tokens", "tensor-type-removed"}
    for name in unsupported:
        with pytest.raises(UnsupportedModelError):
            validate(corpus[name])


@pytest.mark.parametrize(("name", "words"), [
    ("empty", "empty"), ("html-page", "web page"), ("lfs-pointer", "LFS pointer"), ("random-bytes", "not a GGUF"),
    ("tensor-count-huge", "tensors"), ("kv-count-huge", "metadata entries"), ("truncated-at-1000", "truncated"),
    ("unsupported-architecture", "not supported"), ("tensor-offset-huge", "offset"), ("version-99", "version"),
    ("no-byte-tokens", "crashes"), ("broken-chat-template", "chat template"), ("tensor-dim-odd", "blocks"),
])
def test_messages_say_what_is_wrong(corpus: dict[str, Path], name: str, words: str) -> None:
    gguf_check._cache.clear()
    with pytest.raises(InvalidModelError, match=words):
        validate(corpus[name])


def test_validation_rejects_before_llama_cpp_is_called(corpus: dict[str, Path],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The real backend constructor on every broken file: llama.cpp's loader is never reached."""
    from assistant.core.runtime.llama import llama_cpp_module

    llama_cpp = llama_cpp_module()

    from assistant.core.backends.llama_cpp import LlamaCppBackend

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("llama.cpp was asked to load a broken file")

    monkeypatch.setattr(llama_cpp, "Llama", forbidden)
    for name, path in corpus.items():
        with pytest.raises(AssistantError):
            LlamaCppBackend(path)
        assert name


CHILD = """
import json, sys
from pathlib import Path
from assistant.core.backends.llama_cpp import LlamaCppBackend
from assistant.core.errors import AssistantError
for line in sys.stdin:
    path = Path(line.strip())
    try:
        LlamaCppBackend(path, n_ctx=64).close()
        out = {"file": path.name, "loaded": True}
    except AssistantError as exc:
        out = {"file": path.name, "error": type(exc).__name__, "message": exc.message}
    print(json.dumps(out), flush=True)
"""


def test_app_process_survives_the_whole_corpus(corpus: dict[str, Path], tmp_path: Path) -> None:
    """The app's own load path, unpatched, in one process: every file gives an error and the process lives."""
    listing = "".join(f"{p}\n" for p in corpus.values())
    proc = subprocess.run([sys.executable, "-c", CHILD], input=listing, capture_output=True, text=True,
                          timeout=300, cwd=ROOT, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(results) == len(corpus)
    assert all(r.get("error") in ("InvalidModelError", "UnsupportedModelError") for r in results), results


def test_probe_turns_a_real_llama_cpp_crash_into_an_error(corpus: dict[str, Path]) -> None:
    """Without validation, this file aborts llama.cpp (SIGABRT on Chinese text); the probe reports it."""
    from assistant.core.models.probe import ensure_probed, probe_load

    result = probe_load(corpus["no-byte-tokens"])
    assert not result.ok
    assert "crashed (SIGABRT)" in result.error and "out_of_range" in result.error
    refused = probe_load(corpus["broken-chat-template"])
    assert not refused.ok and "refused" in refused.error
    with pytest.raises(ModelLoadError, match="crashed"):
        ensure_probed(corpus["no-byte-tokens"])


def test_probe_accepts_a_good_model_and_caches_it(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.core.models import probe

    first = probe.ensure_probed(tiny)
    assert first is not None and first.ok and first.n_vocab == 268 and first.n_tokens > 5
    monkeypatch.setattr(probe, "probe_load", lambda *a, **k: pytest.fail("the cached result was not used"))
    assert probe.ensure_probed(tiny) == first
    assert probe.ensure_probed(ROOT / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf") is None  # trusted bundled file


def test_random_header_bit_flips_never_escape_as_other_errors(tiny: Path, tmp_path: Path) -> None:
    """200 single-bit flips in the header: each file either validates or gets InvalidModelError, quickly."""
    base = bytearray(tiny.read_bytes())
    header_len = _layout(tiny)["data_offset"]
    rng = random.Random(7)
    outcomes = {"valid": 0, "refused": 0}
    for i in range(200):
        data = bytearray(base)
        pos = rng.randrange(header_len)  # type: ignore[arg-type]
        data[pos] ^= 1 << rng.randrange(8)
        p = tmp_path / f"flip{i}.gguf"
        p.write_bytes(bytes(data))
        t0 = time.monotonic()
        try:
            validate(p)
            outcomes["valid"] += 1
        except InvalidModelError:
            outcomes["refused"] += 1
        assert time.monotonic() - t0 < 5, f"flip at {pos} made validation slow"
        p.unlink()
    assert outcomes["refused"] > 20 and sum(outcomes.values()) == 200


def test_architecture_list_matches_the_bundled_library() -> None:
    """Every architecture we accept is a name compiled into the bundled libllama."""
    from assistant.core.runtime.llama import llama_cpp_module

    llama_cpp = llama_cpp_module()

    lib = next((Path(llama_cpp.__file__).parent / "lib").glob("libllama.*"))
    blob = lib.read_bytes()
    missing = [a for a in SUPPORTED_ARCHITECTURES if a.encode() + b"\0" not in blob]
    assert not missing, missing


def test_unsupported_architecture_is_also_refused_by_real_llama_cpp(corpus: dict[str, Path]) -> None:
    """Our static list agrees with llama.cpp: loading the file raw fails (cleanly) in a child process."""
    code = ("import sys, llama_cpp\ntry:\n    llama_cpp.Llama(sys.argv[1], verbose=False)\n    print('LOADED')\n"
            "except ValueError as e:\n    print('REFUSED')\n")
    proc = subprocess.run([sys.executable, "-c", code, str(corpus["unsupported-architecture"])],
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "REFUSED"


def _call(fn: Callable[[], object]) -> str:
    try:
        fn()
        return "ok"
    except AssistantError as exc:
        return type(exc).__name__


def test_folder_and_missing_paths(tmp_path: Path) -> None:
    assert _call(lambda: validate(tmp_path)) == "InvalidModelError"
    assert _call(lambda: validate(tmp_path / "nope.gguf")) == "ModelNotFoundError"


FLIP_CHILD = """
import sys
from pathlib import Path
from assistant.core.backends.llama_cpp import LlamaCppBackend
from assistant.core.errors import AssistantError
from assistant.core.chat.prompting import Message
for line in sys.stdin:
    print("START", line.strip(), flush=True)
    try:
        b = LlamaCppBackend(Path(line.strip()), n_ctx=64)
        b.tokenize_prompt("Hello, world! 你好，世界。Grüße")
        b.llm.eval(b.tokenize_prompt("Hello")[:4])
        b.close()
        print("LOADED", flush=True)
    except AssistantError as exc:
        print("REFUSED", type(exc).__name__, flush=True)
"""


@pytest.mark.slow
def test_files_that_pass_validation_do_not_crash_llama_cpp(tiny: Path, tmp_path: Path) -> None:
    """Random header bit flips; whatever validation lets through is loaded and run in the app's own
    load path (probe off) in a child process, which must never die. Found and fixed this way: lost byte
    tokens (std::out_of_range abort) and impossible KV-head counts (GGML_ASSERT abort)."""
    base = tiny.read_bytes()
    header_len: int = _layout(tiny)["data_offset"]  # type: ignore[assignment]
    rng = random.Random(12)
    passed = []
    for i in range(110):
        data = bytearray(base)
        pos = rng.randrange(header_len)
        data[pos] ^= 1 << rng.randrange(8)
        p = tmp_path / f"flip{i}-{pos}.gguf"
        p.write_bytes(bytes(data))
        try:
            validate(p)
            passed.append(p)
        except InvalidModelError:
            p.unlink()
    assert passed
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT), "ASSISTANT_PROBE": "0", "GGML_NO_BACKTRACE": "1"}
    proc = subprocess.run([sys.executable, "-c", FLIP_CHILD], input="".join(f"{p}\n" for p in passed),
                          capture_output=True, text=True, timeout=300, env=env)
    started = [ln.split(maxsplit=1)[1] for ln in proc.stdout.splitlines() if ln.startswith("START")]
    assert proc.returncode == 0, f"llama.cpp died on {started[-1] if started else '?'}: {proc.stderr[-500:]}"
    assert len(started) == len(passed)
