"""The local library: import (copy / in place / folder hand-off), list, remove, details, verify."""

from __future__ import annotations

import shutil
import sys
import types
from collections import namedtuple
from pathlib import Path

import pytest

from assistant.core.errors import ConfigError, DiskFullError, InvalidModelError, ModelNotFoundError
from assistant.core.models import library
from assistant.core.models.library import (
    find_local,
    import_folder,
    import_gguf,
    import_path,
    list_local,
    model_details,
    record_file,
    remove_model,
    verify_model,
)
from assistant.core.paths import app_paths
from assistant.core.progress import Progress

from .ggufgen import write_tiny_llama


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_llama(tmp_path_factory.mktemp("lib") / "tiny.gguf")


def names(**kw: bool) -> list[str]:
    return [m.name for m in list_local(**kw)]


def test_import_copies_checks_and_lists(tiny: Path) -> None:
    model = import_gguf(tiny)
    assert model.path == app_paths().models_dir / "tiny.gguf" and model.path.read_bytes() == tiny.read_bytes()
    assert model.usable and model.source == "import" and not model.in_place
    assert names() == ["SmolLM2-135M-Instruct.Q4_1.gguf", "tiny.gguf"]
    assert import_gguf(tiny).path == model.path  # the same file again: no duplicate
    other = tiny.parent / "sub" / "tiny.gguf"
    other.parent.mkdir(exist_ok=True)
    write_tiny_llama(other, seed=5)
    assert import_gguf(other, probe=False).path.name == "tiny-1.gguf"  # same name, other bytes
    assert not list((app_paths().models_dir / ".downloads").iterdir())


def test_in_place_import_and_remove_keep_the_users_file(tiny: Path) -> None:
    model = import_gguf(tiny, copy=False, probe=False)
    assert model.in_place and model.path == tiny.resolve()
    assert not (app_paths().models_dir / "tiny.gguf").exists()
    assert find_local(str(tiny)).in_place
    remove_model(str(tiny))
    assert tiny.exists() and "tiny.gguf" not in names()


def test_remove_deletes_a_copy_but_never_the_bundled_model(tiny: Path) -> None:
    import_gguf(tiny, probe=False)
    path = remove_model("tiny.gguf")
    assert not path.exists() and names() == ["SmolLM2-135M-Instruct.Q4_1.gguf"]
    with pytest.raises(ConfigError, match="bundled"):
        remove_model("smollm2-135m-instruct")
    with pytest.raises(ModelNotFoundError):
        remove_model("nothing.gguf")


def test_broken_files_are_refused_or_shown_unusable(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\xff" * 64)
    with pytest.raises(InvalidModelError):
        import_gguf(bad)
    assert "bad.gguf" not in names() and not (app_paths().models_dir / "bad.gguf").exists()
    # A damaged file someone put in the folder by hand: listed, marked unusable, never loadable.
    app_paths().models_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bad, app_paths().models_dir / "dropped-by-hand.gguf")
    [m] = [m for m in list_local() if m.name == "dropped-by-hand.gguf"]
    assert not m.usable and "cannot be loaded" in m.error


def test_import_checks_free_space_first(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(library.shutil, "disk_usage", lambda p: usage(1 << 30, 1 << 30, 1000))
    with pytest.raises(DiskFullError, match="are free") as info:
        import_gguf(tiny, probe=False)
    assert "in place" in info.value.hint
    assert names(include_bundled=False) == []


def test_folder_import_hands_off_to_the_converter(tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "hf-model"
    folder.mkdir()
    with pytest.raises(InvalidModelError, match=r"config\.json"):
        import_folder(folder)
    (folder / "config.json").write_text('{"architectures": ["LlamaForCausalLM"]}')
    with pytest.raises(InvalidModelError, match="no weights"):
        import_folder(folder)
    (folder / "model.safetensors").write_bytes(b"\0" * 16)

    # The real converter gets the folder and explains what is wrong with it; nothing lands in the library.
    with pytest.raises(InvalidModelError, match="hidden_size"):
        import_path(folder)
    assert names(include_bundled=False) == []

    calls = []

    def convert_model(src_dir: Path, *, outtype: str = "auto", quant: str | None = None, out_dir: Path | None = None,
                      progress=None, cancel=None) -> Path:  # type: ignore[no-untyped-def]
        calls.append((src_dir, outtype, quant, out_dir))
        progress(Progress("writing", 1.0))
        assert out_dir is not None
        return write_tiny_llama(out_dir / "hf-model-Q8_0.gguf")

    # The converter is written by another module owner; this checks the hand-off contract only.
    monkeypatch.setitem(sys.modules, "assistant.core.convert.pipeline",
                        types.SimpleNamespace(convert_model=convert_model))
    seen: list[tuple[str, float]] = []
    model = import_path(folder, quant="Q8_0", progress=lambda p: seen.append((p.stage, p.fraction)))
    assert calls == [(folder, "auto", "Q8_0", app_paths().models_dir)] and seen == [("writing", 1.0)]
    assert model.source == "convert" and model.usable and "hf-model-Q8_0.gguf" in names()


def test_details_for_catalog_and_local_models(tiny: Path) -> None:
    d = model_details("deepseek-r1-distill-qwen-1.5b", n_ctx=4096)
    assert not d["downloaded"] and set(d["quantizations"]) == {"Q4_K_M", "Q8_0"}
    q = d["quantizations"]["Q4_K_M"]
    assert q["memory"] > q["size"] and q["fit"] in ("fits", "tight", "won't fit")
    import_gguf(tiny, probe=False)
    local = model_details("tiny.gguf", n_ctx=128)
    assert local["architecture"] == "llama" and local["n_ctx"] == 128 and local["kv_bytes_per_token"] == 256
    assert local["default_threads"] >= 1 and local["default_gpu_layers"] == 0
    bundled = model_details("smollm2-135m-instruct")
    assert bundled["source"] == "bundled" and bundled["n_ctx"] == 8192


def test_verify_uses_the_recorded_checksum(tiny: Path) -> None:
    model = import_gguf(tiny, probe=False)
    ok = verify_model("tiny.gguf")
    assert ok.ok and ok.probe_ok and ok.expected_sha256 is None
    record_file(model.path, sha256="0" * 64, verified_by="hub sha256")
    bad = verify_model("tiny.gguf", probe=False)
    assert not bad.ok and bad.checksum_source == "download record"
    bundled = verify_model("smollm2-135m-instruct", probe=False)
    assert bundled.ok and bundled.checksum_source == "catalog"
