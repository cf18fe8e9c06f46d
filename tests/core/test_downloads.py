"""Downloads through the real huggingface_hub client against a hub look-alike on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.core.errors import CancelledError, ChecksumError, DiskFullError, DownloadError, ModelNotFoundError
from assistant.core.models.catalog import CatalogEntry, resolve_model
from assistant.core.models.downloads import partials
from assistant.core.models.library import download_file, download_model, list_local
from assistant.core.paths import app_paths
from assistant.core.progress import Progress
from assistant.core.settings import Settings

from .ggufgen import write_tiny_llama
from .hubserver import HubServer

pytestmark = [pytest.mark.download, pytest.mark.server]

REPO = "test-org/Tiny-Llama-GGUF"
FILE = "tiny-llama-F32.gguf"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def model_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real (tiny, random) llama GGUF of ~5 MB that llama.cpp loads."""
    path = write_tiny_llama(tmp_path_factory.mktemp("gguf") / FILE, n_embd=256, n_ff=512)
    return path.read_bytes()


@pytest.fixture
def hub(model_bytes: bytes) -> Iterator[HubServer]:
    with HubServer() as server:
        server.state.add(REPO, FILE, model_bytes)
        yield server


def entry_for(sha256: str | None = None, size: int | None = None) -> CatalogEntry:
    return CatalogEntry.from_dict({
        "id": "tiny-test", "name": "Tiny Test", "architecture": "llama", "family": "chatml",
        "context_length": 256, "n_ctx": 256,
        "sources": {"gguf": {"repo": REPO, "files": {"F32": {"file": FILE, "sha256": sha256, "size": size,
                                                             "size_exact": size is not None}}}},
    })


def _child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, ASSISTANT_HOME=str(home), PYTHONPATH=str(ROOT))
    env.pop("HF_ENDPOINT", None)
    return env


CHILD = """
import sys
from assistant.core.models.library import download_file
from assistant.core.errors import AssistantError
try:
    download_file({repo!r}, {file!r}, endpoint={url!r})
except AssistantError as exc:
    print("ERROR", type(exc).__name__, exc.user_text())
    sys.exit(1)
"""


def test_download_completes_verifies_and_loads(hub: HubServer, model_bytes: bytes, app_home: Path) -> None:
    seen: list[Progress] = []
    settings = Settings(hf_endpoint=hub.url, hf_token="hf_test_token")  # the endpoint setting, not an argument
    result = download_model(entry_for(), "F32", settings=settings, progress=seen.append)

    models = app_paths().models_dir
    assert result.path == models / FILE
    assert result.path.read_bytes() == model_bytes
    assert result.sha256 == hashlib.sha256(model_bytes).hexdigest()
    assert result.verified_by == "hub sha256" and result.resumed_from == 0
    assert result.commit == hub.state.commit
    # Progress: bytes grow to the total, with speed, then a verify and a done stage.
    downloads = [p for p in seen if p.stage == "download"]
    assert downloads[-1].downloaded == len(model_bytes) and downloads[-1].total == len(model_bytes)
    assert [p.downloaded for p in downloads] == sorted(p.downloaded for p in downloads)
    assert {"verify", "done"} <= {p.stage for p in seen}
    # What the hub saw: the revision API and a HEAD with the token, then the CDN without it, no Range.
    log = hub.state.log
    assert any(e["path"] == f"/api/models/{REPO}/revision/main" and e["auth"] == "Bearer hf_test_token" for e in log)
    assert any(e["method"] == "HEAD" and "/resolve/" in e["path"] and e["auth"] for e in log)
    blob_gets = hub.state.gets()
    assert len(blob_gets) == 1 and blob_gets[0]["range"] is None and blob_gets[0]["auth"] is None
    # Listed, resolvable, and it loads in the real llama.cpp.
    assert [m.name for m in list_local() if m.source == "download"] == [FILE]
    assert resolve_model(str(result.path)).path == result.path
    from assistant.core.backends.llama_cpp import LlamaCppBackend

    backend = LlamaCppBackend(result.path, n_ctx=128)
    try:
        assert backend.info.architecture == "llama" and backend.count_tokens([]) >= 0
    finally:
        backend.close()
    # A second download is a no-op (already there, checksum checked).
    again = download_model(entry_for(sha256=result.sha256), "F32", settings=settings)
    assert again.reused == "existing" and len(hub.state.gets()) == 1


def test_offline_mode_is_lifted_only_for_the_download(hub: HubServer) -> None:
    import huggingface_hub
    from huggingface_hub import constants
    from huggingface_hub.errors import OfflineModeIsEnabled

    assert os.environ["HF_HUB_OFFLINE"] == "1" and constants.HF_HUB_OFFLINE
    download_file(REPO, FILE, endpoint=hub.url)
    assert constants.HF_HUB_OFFLINE  # still offline for everyone else
    n = len(hub.state.log)
    with pytest.raises(OfflineModeIsEnabled):
        huggingface_hub.HfApi(endpoint=hub.url).model_info(REPO)
    # The same call from another thread while a download context is active elsewhere is refused too.
    from assistant.core.offline import hub_online

    errors: list[BaseException] = []

    def other_thread() -> None:
        try:
            huggingface_hub.HfApi(endpoint=hub.url).model_info(REPO)
        except BaseException as exc:
            errors.append(exc)

    with hub_online():
        t = threading.Thread(target=other_thread)
        t.start()
        t.join()
    assert errors and isinstance(errors[0], OfflineModeIsEnabled)
    assert len(hub.state.log) == n  # no request reached the server


def test_drop_mid_file_then_restart_resumes_from_where_it_stopped(hub: HubServer, model_bytes: bytes,
                                                                  app_home: Path) -> None:
    """The server cuts the connection at 1.5 MB and then fails; the app is restarted; it resumes."""
    hub.state.faults.drop_after = 1_500_000
    hub.state.faults.fail_gets = 10  # huggingface_hub's own in-process retry gets 503s
    code = CHILD.format(repo=REPO, file=FILE, url=hub.url)
    first = subprocess.run([sys.executable, "-c", code], env=_child_env(app_home), capture_output=True,
                           text=True, timeout=120)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "ERROR DownloadError" in first.stdout and "resume" in first.stdout
    [part] = partials()
    kept = part.size
    assert 0 < kept <= 1_500_000  # what reached the disk before the cut
    assert FILE not in [m.name for m in list_local()]  # a partial is never offered

    hub.state.faults.fail_gets = 0
    result = download_file(REPO, FILE, endpoint=hub.url)  # "after the restart": a new process state
    assert result.resumed_from == kept
    assert result.path.read_bytes() == model_bytes and result.verified_by == "hub sha256"
    gets = hub.state.gets()
    assert gets[0]["range"] is None and gets[0]["sent"] == 1_500_000
    assert gets[-1]["range"] == f"bytes={kept}-" and gets[-1]["status"] == 206
    assert gets[-1]["sent"] == len(model_bytes) - kept  # the rest only, not from zero
    assert not partials()


def test_killed_download_resumes_after_restart(hub: HubServer, model_bytes: bytes, app_home: Path) -> None:
    """A download process killed mid-file (power cut, crash) resumes from the bytes on disk."""
    hub.state.faults.stall_after = 3_000_000
    code = CHILD.format(repo=REPO, file=FILE, url=hub.url)
    child = subprocess.Popen([sys.executable, "-c", code], env=_child_env(app_home))
    part = app_paths().models_dir / ".downloads" / (FILE + ".part")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (part.is_file() and part.stat().st_size >= 2 << 20):
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    kept = part.stat().st_size
    assert kept >= 2 << 20

    result = download_file(REPO, FILE, endpoint=hub.url)
    assert result.resumed_from == kept and result.path.read_bytes() == model_bytes
    last = hub.state.gets()[-1]
    assert last["range"] == f"bytes={kept}-" and last["sent"] == len(model_bytes) - kept


def test_cancel_keeps_bytes_and_next_attempt_resumes(hub: HubServer, model_bytes: bytes) -> None:
    cancel = threading.Event()

    def on_progress(p: Progress) -> None:
        if p.downloaded >= 1 << 20:
            cancel.set()

    with pytest.raises(CancelledError, match="resumes"):
        download_file(REPO, FILE, endpoint=hub.url, progress=on_progress, cancel=cancel)
    [part] = partials()
    assert part.size >= 1 << 20 and not (app_paths().models_dir / FILE).exists()
    result = download_file(REPO, FILE, endpoint=hub.url)
    assert result.resumed_from == part.size and result.path.read_bytes() == model_bytes
    assert hub.state.gets()[-1]["range"] == f"bytes={part.size}-"


def test_corrupt_bytes_are_rejected_and_never_offered(hub: HubServer, model_bytes: bytes) -> None:
    sha = hashlib.sha256(model_bytes).hexdigest()
    hub.state.faults.corrupt.add(sha)  # headers advertise the real sha256, the body differs
    entry = entry_for()
    with pytest.raises(ChecksumError, match="checksum is wrong"):
        download_model(entry, "F32", endpoint=hub.url)
    models = app_paths().models_dir
    assert not (models / FILE).exists() and not partials()
    assert FILE not in [m.name for m in list_local()]
    with pytest.raises(ModelNotFoundError):
        resolve_model(FILE)
    # With the catalog's checksum too: same outcome.
    with pytest.raises(ChecksumError):
        download_model(entry_for(sha256=sha), "F32", endpoint=hub.url)
    assert not (models / FILE).exists()


def test_catalog_checksum_differs_from_hub_refuses_before_downloading(hub: HubServer) -> None:
    with pytest.raises(ChecksumError, match="changed upstream"):
        download_model(entry_for(sha256="0" * 64), "F32", endpoint=hub.url)
    assert hub.state.gets() == []  # not a byte fetched


def test_space_check_fails_before_downloading(hub: HubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: usage(10 << 30, 10 << 30, 1 << 20))
    with pytest.raises(DiskFullError) as info:
        download_file(REPO, FILE, endpoint=hub.url)
    assert "free" in info.value.message and info.value.hint
    assert hub.state.gets() == [] and not partials() and list_local(include_bundled=False) == []


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux /dev/full to get a real ENOSPC")
def test_disk_full_mid_download_fails_cleanly(hub: HubServer) -> None:
    part_dir = app_paths().models_dir / ".downloads"
    part_dir.mkdir(parents=True)
    (part_dir / (FILE + ".part")).symlink_to("/dev/full")  # every write now fails with ENOSPC
    with pytest.raises(DiskFullError, match="filled up"):
        download_file(REPO, FILE, endpoint=hub.url)
    assert not list(part_dir.iterdir()) and list_local(include_bundled=False) == []


def test_reuses_the_users_hf_cache(hub: HubServer, model_bytes: bytes, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from huggingface_hub import hf_hub_download

    from assistant.core.offline import hub_online

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    with hub_online():  # fill a real cache with the real client, as a user's earlier download would
        cached = hf_hub_download(REPO, FILE, endpoint=hub.url, cache_dir=str(tmp_path / "hf-cache"))
    n_gets = len(hub.state.gets())
    result = download_file(REPO, FILE, endpoint="http://127.0.0.1:9")  # unreachable: must not be needed
    assert result.reused == "hf-cache" and result.path.read_bytes() == model_bytes
    assert len(hub.state.gets()) == n_gets
    assert os.path.samefile(result.path, cached)  # linked, not copied
    assert [m.name for m in list_local(include_bundled=False)] == [FILE]


def test_unknown_repo_and_unreachable_endpoint_give_clear_errors(hub: HubServer) -> None:
    with pytest.raises(DownloadError, match="not found") as info:
        download_file("nobody/nothing", FILE, endpoint=hub.url)
    assert "endpoint" in info.value.hint
    with pytest.raises(DownloadError, match="connection"):
        download_file(REPO, FILE, endpoint="http://127.0.0.1:9")
    assert not partials()


def test_partial_metadata_records_the_version(hub: HubServer) -> None:
    hub.state.faults.fail_gets = 10
    hub.state.faults.drop_after = 1_200_000
    with pytest.raises(DownloadError):
        download_file(REPO, FILE, endpoint=hub.url)
    [part] = partials()
    assert part.meta["commit"] == hub.state.commit and part.meta["repo"] == REPO
    assert json.loads(part.path.with_name(part.path.name + ".json").read_text())["size"] > part.size


def test_original_weights_repo_downloads_every_file_verified(hub: HubServer, model_bytes: bytes) -> None:
    """The safetensors source: LFS files checked by sha256, small git files by their git blob sha1."""
    from assistant.core.models.downloads import download_source

    src_repo = "test-org/Tiny-Llama"
    files = {"config.json": b'{"architectures": ["LlamaForCausalLM"]}', "tokenizer.json": b'{"model": {}}',
             "model.safetensors": model_bytes[:1_000_000], "README.md": b"# not needed"}
    for name, data in files.items():
        hub.state.add(src_repo, name, data)
    entry = CatalogEntry.from_dict({"id": "t", "name": "T", "sources": {"safetensors": {"repo": src_repo}}})
    folder = download_source(entry, endpoint=hub.url)
    got = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert got == ["config.json", "model.safetensors", "tokenizer.json"]  # weights, config, tokenizer only
    assert all((folder / n).read_bytes() == files[n] for n in got)
    assert list_local(include_bundled=False) == []  # sources are not models
    assert not any(e["path"].endswith("README.md") for e in hub.state.log if "/resolve/" in e["path"])
    hub.state.repos[src_repo]["config.json"] = b'{"tampered": true}'  # git file changes under the same name
    (folder / "config.json").unlink()
    again = download_file(src_repo, "config.json", dest_dir=folder, endpoint=hub.url, check_gguf=False)
    assert again.verified_by == "hub git sha1"


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server on 127.0.0.1 that accepts connections and never answers (a hung proxy or hub)."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    stop.set()
    t.join(5)
    for c in held:
        c.close()
    sock.close()


def test_a_server_that_never_answers_fails_fast_with_a_clear_message(silent_server: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Every network call has a deadline: HfApi.model_info once waited forever here."""
    monkeypatch.setenv("ASSISTANT_NET_TIMEOUT", "2")
    t0 = time.monotonic()
    with pytest.raises(DownloadError) as info:
        download_file(REPO, FILE, endpoint=silent_server, use_hf_cache=False)
    assert time.monotonic() - t0 < 60
    assert "stopped answering" in info.value.message and info.value.hint
    assert list_local(include_bundled=False) == [] and not partials()


def test_a_transfer_that_stalls_mid_file_resumes_and_completes(hub: HubServer, model_bytes: bytes,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The server sends 1.5 MB and then hangs: after the read deadline the transfer goes on from there."""
    monkeypatch.setenv("ASSISTANT_NET_TIMEOUT", "2")
    hub.state.faults.stall_after = 1_500_000
    t0 = time.monotonic()
    result = download_file(REPO, FILE, endpoint=hub.url)
    assert time.monotonic() - t0 < 60
    assert result.path.read_bytes() == model_bytes
    ranges = [g["range"] for g in hub.state.gets()]
    assert ranges[0] is None and ranges[-1] is not None and ranges[-1].startswith("bytes=")  # resumed, not restarted
