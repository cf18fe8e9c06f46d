"""Model downloads from Hugging Face (or a mirror) through ``huggingface_hub``: resumable, verified.

Why not ``hf_hub_download``: since huggingface_hub 1.x it writes each attempt to a process-unique
temporary file and deletes it on any failure, so an interrupted multi-GB download starts again from
zero after a restart. Here the hub client still does all the HTTP (``HfApi.model_info`` for the
commit and the LFS sha256, ``get_hf_file_metadata`` for the resolved location, ``http_get`` for the
ranged, retried transfer), but the bytes go to a partial file of ours that survives restarts:

    <models>/.downloads/<file>.part       bytes received so far
    <models>/.downloads/<file>.part.json  repo, commit, etag, size, sha256 it belongs to

The next attempt resumes with a ``Range`` request from the partial file's size if the file on the
hub is still the same (same etag and size); otherwise it starts over. A finished file is checked
against the catalog's sha256 (or, when the catalog has none, the sha256 the hub reports for the LFS
object; a git-sha1 for small files) and its GGUF header, and only then renamed into the models
directory: nothing half-written or unverified is ever listed or loaded.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from assistant.core.models.catalog import CatalogEntry, sha256_file, stamp_path
from assistant.core.errors import AssistantError, CancelledError, ChecksumError, DiskFullError, DownloadError, InvalidModelError
from assistant.core.offline import hub_online
from assistant.core.settings import Settings
from assistant.core.paths import app_paths
from assistant.core.units import human_bytes
from assistant.core.disk import check_free_space
from assistant.core.progress import Progress, ProgressCallback

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://huggingface.co"
PARTIAL_DIR = ".downloads"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_SHA1 = re.compile(r"^[0-9a-f]{40}$")




@dataclass
class DownloadResult:
    path: Path
    size: int
    sha256: str
    verified_by: str  # "catalog sha256" | "hub sha256" | "hub git sha1" | "size only"
    resumed_from: int = 0
    reused: str = ""  # "" | "existing" | "hf-cache"
    commit: str = ""
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
    repo: str = ""
    revision: str = ""
    model: bool = False  # a GGUF model (checked, stamped): the library lists it; else a source file


def hub_settings(settings: Settings | None = None, endpoint: str | None = None,
                 token: str | None = None) -> tuple[str, str | None]:
    """(endpoint, token): explicit arguments, then settings, then HF_ENDPOINT / the default hub."""
    s_endpoint = getattr(settings, "hf_endpoint", "") if settings is not None else ""
    s_token = getattr(settings, "hf_token", "") if settings is not None else ""
    ep = (endpoint or s_endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")
    return ep, (token or s_token or None)


class _Cancelled(Exception):
    pass


class _Tracker:
    """Turns huggingface_hub's tqdm-style ``update(n)`` calls into throttled Progress callbacks."""

    def __init__(self, filename: str, callback: ProgressCallback | None, cancel: threading.Event | None) -> None:
        self.filename, self.callback, self.cancel = filename, callback, cancel
        self.total: int | None = None
        self.done = 0
        self.speed = 0.0
        self._t_last = self._t_emit = time.monotonic()
        self._bytes_since = 0

    def bar(self, **kwargs: Any) -> _Bar:
        return _Bar(self, kwargs.get("total"), int(kwargs.get("initial") or 0))

    def start(self, total: int | None, initial: int) -> None:
        self.total = total if total else self.total
        self.done = initial
        self.emit(force=True)

    def advance(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        self._bytes_since += n
        dt = now - self._t_last
        if dt >= 0.5:
            rate = self._bytes_since / dt
            self.speed = rate if not self.speed else 0.7 * self.speed + 0.3 * rate
            self._t_last, self._bytes_since = now, 0
        if not self.speed and dt > 0:
            self.speed = self._bytes_since / dt
        self.emit(force=bool(self.total and self.done >= self.total))
        if self.cancel is not None and self.cancel.is_set():
            raise _Cancelled()

    def emit(self, force: bool = False, stage: str = "download") -> None:
        now = time.monotonic()
        if self.callback is None or (not force and now - self._t_emit < 0.1):
            return
        self._t_emit = now
        eta = (self.total - self.done) / self.speed if self.total and self.speed > 0 else None
        self.callback(Progress(stage, self.done / self.total if self.total else None, self.filename, self.done,
                               self.total, self.speed, eta))


class _Bar:
    """The minimal tqdm surface ``huggingface_hub.file_download.http_get`` uses."""

    def __init__(self, tracker: _Tracker, total: int | None, initial: int) -> None:
        self.tracker = tracker
        tracker.start(total, initial)

    def update(self, n: int = 1) -> None:
        self.tracker.advance(n)

    def close(self) -> None:
        pass

    def __enter__(self) -> _Bar:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


# ---------------------------------------------------------------------------------------------------
# Partial files


def partial_dir(dest_dir: Path | None = None) -> Path:
    return (dest_dir or app_paths().models_dir) / PARTIAL_DIR


@dataclass
class Partial:
    path: Path
    size: int
    meta: dict[str, Any]


def partials(dest_dir: Path | None = None) -> list[Partial]:
    """Interrupted downloads that a new attempt would resume."""
    out = []
    d = partial_dir(dest_dir)
    for part in sorted(d.glob("*.part")) if d.is_dir() else []:
        meta: dict[str, Any] = {}
        try:
            meta = json.loads(part.with_name(part.name + ".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        out.append(Partial(part, part.stat().st_size, meta))
    return out


def discard_partial(part: Path) -> None:
    part.unlink(missing_ok=True)
    part.with_name(part.name + ".json").unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------------
# Errors from the hub client, in words for the user


def _friendly(exc: BaseException, repo: str, filename: str, endpoint: str, kept: int) -> AssistantError:
    from huggingface_hub import errors as hf_errors

    resume = (f" {human_bytes(kept)} are kept; run the download again to resume from there."
              if kept else " Run the download again to retry.")
    if isinstance(exc, hf_errors.GatedRepoError):
        return DownloadError(f"{repo} is gated: you must accept its licence on the Hub first.",
                             hint="Accept the terms on the model page, then set a Hugging Face token in settings.")
    if isinstance(exc, hf_errors.RepositoryNotFoundError):
        return DownloadError(f"The repository {repo} was not found at {endpoint}.",
                             hint="Check the endpoint setting (mirror URL) and, for private models, the token.")
    if isinstance(exc, hf_errors.RevisionNotFoundError):
        return DownloadError(f"The requested revision of {repo} does not exist at {endpoint}.")
    if isinstance(exc, hf_errors.RemoteEntryNotFoundError | hf_errors.EntryNotFoundError):
        return DownloadError(f"{filename} is not in {repo} at {endpoint}.",
                             hint="The repository may have renamed its files; pick another quantization.")
    if isinstance(exc, hf_errors.OfflineModeIsEnabled):
        return DownloadError("The app is in offline mode.", hint="This is a bug: downloads lift offline mode.")
    if isinstance(exc, hf_errors.HfHubHTTPError):
        code = getattr(getattr(exc, "response", None), "status_code", "?")
        if code == 401:
            return DownloadError(f"{endpoint} refused the token for {repo} (HTTP 401).",
                                 hint="Check the Hugging Face token in settings.")
        return DownloadError(f"{endpoint} answered HTTP {code} for {filename}.", hint="Try again later." + resume)
    name = type(exc).__name__
    if "Timeout" in name:
        return DownloadError(f"{endpoint} stopped answering: nothing arrived for {net_timeout():g} s ({name}).",
                             hint="The server or the network is stalled. Check the network or the endpoint setting "
                             "(HF_ENDPOINT / mirror)." + resume)
    if "Connect" in name or "Protocol" in name or "Network" in name:
        return DownloadError(f"The connection to {endpoint} failed ({name}).",
                             hint="Check the network or the endpoint setting (HF_ENDPOINT / mirror)." + resume)
    return DownloadError(f"Downloading {filename} failed: {exc}", hint=resume.strip())


# ---------------------------------------------------------------------------------------------------
# Downloads


def net_timeout() -> float:
    """Seconds any network call may wait for the next bytes (connect, an answer, a block of the file): a
    server that accepts and stays silent, or a transfer that stalls, ends in a clear error instead of a
    hang. A stalled transfer is first retried from where it stopped by huggingface_hub (a few times).
    ``ASSISTANT_NET_TIMEOUT`` changes it (the tests use 2 s)."""
    try:
        return max(0.5, float(os.environ.get("ASSISTANT_NET_TIMEOUT") or 20))
    except ValueError:
        return 20.0


def _hub_facts(repo: str, filename: str, revision: str, endpoint: str, token: str | None) -> dict[str, Any]:
    """Commit, size, sha256 and download URL of one file, from the hub's revision API and HEAD."""
    from huggingface_hub import HfApi, get_hf_file_metadata, hf_hub_url
    from huggingface_hub import errors as hf_errors

    facts: dict[str, Any] = {"commit": None, "size": None, "sha256": None, "git_sha1": None}
    try:
        info = HfApi(endpoint=endpoint, token=token).model_info(repo, revision=revision, files_metadata=True,
                                                                timeout=net_timeout())
        facts["commit"] = info.sha
        for sib in info.siblings or []:
            if sib.rfilename == filename:
                facts["size"] = sib.size
                if sib.lfs is not None:
                    facts["sha256"] = sib.lfs.sha256
                    facts["size"] = sib.lfs.size
                elif sib.blob_id:
                    facts["git_sha1"] = sib.blob_id
    except (hf_errors.RepositoryNotFoundError, hf_errors.RevisionNotFoundError):
        raise
    except hf_errors.HfHubHTTPError as exc:  # some mirrors serve files but not the API: HEAD alone will do
        log.info("model info unavailable for %s (%s); using file metadata only", repo, exc)
    url = hf_hub_url(repo, filename, revision=facts["commit"] or revision, endpoint=endpoint)
    meta = get_hf_file_metadata(url, token=token, endpoint=endpoint, timeout=net_timeout())
    etag = (meta.etag or "").strip('"').lower()
    facts["commit"] = facts["commit"] or meta.commit_hash
    facts["size"] = facts["size"] or meta.size
    facts["etag"] = etag
    if not facts["sha256"] and _SHA256.match(etag):
        facts["sha256"] = etag  # the hub's ETag for an LFS file is its sha256
    elif not facts["sha256"] and not facts["git_sha1"] and _SHA1.match(etag):
        facts["git_sha1"] = etag
    facts["url"] = meta.location or url
    return facts


def _git_blob_sha1(path: Path) -> str:
    h = hashlib.sha1(f"blob {path.stat().st_size}\0".encode(), usedforsecurity=False)
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def _hash_with_progress(path: Path, tracker: _Tracker, cancel: threading.Event | None) -> str:
    h = hashlib.sha256()
    done = tracker.done = 0
    tracker.emit(force=True, stage="verify")
    with open(path, "rb") as fh:
        while block := fh.read(4 << 20):
            h.update(block)
            done += len(block)
            tracker.done = done
            tracker.emit(stage="verify")
            if cancel is not None and cancel.is_set():
                raise CancelledError("Verification was cancelled; the downloaded bytes are kept.")
    return h.hexdigest()


def _write_stamp(path: Path, sha256: str) -> None:
    """The stamp catalog.verify_file trusts, so loading the file later does not hash it again."""
    st = path.stat()
    try:
        stamp = stamp_path(path)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(f"{st.st_size}:{st.st_mtime_ns}:{sha256}")
    except OSError:
        pass


def _link_or_copy(src: Path, dst: Path) -> None:
    """Reuse a file from the user's HF cache: hard link (no extra space), else symlink, else copy."""
    src = src.resolve()  # the cache's snapshot entries are relative symlinks to blobs/
    tmp = dst.with_name(dst.name + ".linking")
    tmp.unlink(missing_ok=True)
    try:
        os.link(src, tmp)
    except OSError:
        try:
            os.symlink(src, tmp)
        except OSError:
            shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


def _from_hf_cache(repo: str, filename: str, revision: str, sha256: str | None) -> Path | None:
    """The user's existing Hugging Face cache copy of this file, if it is there and intact (no network)."""
    try:
        from huggingface_hub import try_to_load_from_cache

        # Read the location now, not at import: huggingface_hub fixes HF_HUB_CACHE when first imported.
        cache_dir = os.environ.get("HF_HUB_CACHE") or (
            os.path.join(os.environ["HF_HOME"], "hub") if os.environ.get("HF_HOME") else None)
        found = try_to_load_from_cache(repo, filename, cache_dir=cache_dir, revision=revision)
    except Exception:  # a damaged cache is not our problem: download instead
        return None
    if not isinstance(found, str):
        return None
    path = Path(found)
    blob = path.resolve()
    want = sha256 or (blob.name if _SHA256.match(blob.name) else None)
    if not want or sha256_file(blob) != want:
        return None
    return path


def download_file(
    repo: str,
    filename: str,
    *,
    revision: str = "main",
    dest_dir: Path | None = None,
    sha256: str | None = None,
    size: int | None = None,
    size_exact: bool = False,
    endpoint: str | None = None,
    token: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    use_hf_cache: bool = True,
    check_gguf: bool | None = None,
) -> DownloadResult:
    """Download one file of a hub repository into ``dest_dir`` (the models folder), resumably.

    ``sha256``/``size`` are what the catalog knows (either may be None). Raises DownloadError,
    ChecksumError, DiskFullError, CancelledError or InvalidModelError; never leaves a partial or
    unverified file where the models list would pick it up.
    """
    from huggingface_hub.file_download import http_get
    from huggingface_hub.utils import build_hf_headers

    t0 = time.monotonic()
    endpoint, token = hub_settings(None, endpoint, token)
    dest_dir = dest_dir or app_paths().models_dir
    final = dest_dir / filename
    check_gguf = filename.lower().endswith(".gguf") if check_gguf is None else check_gguf
    tracker = _Tracker(Path(filename).name, progress, cancel)

    if final.is_file():
        got = sha256_file(final) if sha256 else None
        if sha256 is None or got == sha256:
            return DownloadResult(final, final.stat().st_size, got or "", "catalog sha256" if got else "size only",
                                  reused="existing", seconds=time.monotonic() - t0, repo=repo, revision=revision,
                                  model=check_gguf)
        raise DownloadError(f"A different file named {final.name} is already in the models folder.",
                            hint=f"Remove it first (`assistant models remove {final.name}`), then download again.")

    if use_hf_cache:
        cached = _from_hf_cache(repo, filename, revision, sha256)
        if cached is not None:
            final.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(cached, final)
            digest = sha256 or cached.resolve().name
            if check_gguf:
                _write_stamp(final, digest)
            return DownloadResult(final, final.stat().st_size, digest, "catalog sha256" if sha256 else "hub sha256",
                                  reused="hf-cache", seconds=time.monotonic() - t0, repo=repo, revision=revision,
                                  model=check_gguf)

    part_dir = partial_dir(dest_dir)
    part = part_dir / (filename.replace("/", "__") + ".part")
    meta_path = part.with_name(part.name + ".json")
    kept = part.stat().st_size if part.is_file() else 0
    try:
        with hub_online():
            facts = _hub_facts(repo, filename, revision, endpoint, token)
            hub_size, hub_sha = facts["size"], facts["sha256"]
            if size_exact and size and hub_size and int(hub_size) != int(size):
                raise DownloadError(
                    f"{filename} on the hub is {int(hub_size):,} bytes, but the catalog expects {int(size):,}.",
                    hint="The file changed upstream; update the app, or import the file yourself.")
            if sha256 and hub_sha and hub_sha != sha256:
                raise ChecksumError(
                    f"The hub's checksum for {filename} differs from the one in the catalog: the file changed "
                    "upstream.", hint="Nothing was downloaded. Update the app, or import the file yourself.")
            expected_sha = sha256 or hub_sha
            total = int(hub_size) if hub_size else (int(size) if size and size_exact else None)
            ident = {"repo": repo, "filename": filename, "commit": facts["commit"], "etag": facts["etag"],
                     "size": total, "sha256": expected_sha}
            old: dict[str, Any] = {}
            if meta_path.is_file():
                try:
                    old = json.loads(meta_path.read_text(encoding="utf-8"))
                except ValueError:
                    old = {}
            if kept and (old.get("etag") != ident["etag"] or old.get("size") != total or (total and kept > total)):
                log.info("partial %s belongs to another version of the file; starting over", part)
                discard_partial(part)
                kept = 0
            dest_dir.mkdir(parents=True, exist_ok=True)
            check_free_space(dest_dir, (total or 0) - kept, f"Downloading {Path(filename).name}",
                             hint="Free some disk space, or move the models folder (ASSISTANT_MODELS_DIR) to a bigger disk.")
            part_dir.mkdir(parents=True, exist_ok=True)
            meta_path.write_text(json.dumps(ident, indent=1), encoding="utf-8")
            headers = build_hf_headers(token=token)
            if facts["url"] and not facts["url"].startswith(endpoint):
                headers.pop("authorization", None)  # a CDN URL is signed: the token must not leave the hub
            from huggingface_hub import constants as hf_constants

            hf_constants.HF_HUB_DOWNLOAD_TIMEOUT = int(max(1, net_timeout()))  # read by http_get on every call
            with open(part, "ab") as fh:
                http_get(facts["url"], fh, resume_size=kept, headers=headers, expected_size=total,
                         displayed_filename=Path(filename).name, tqdm_class=cast(Any, tracker.bar))
    except _Cancelled:
        have = part.stat().st_size if part.is_file() else 0
        raise CancelledError(f"Download cancelled; {human_bytes(have)} are kept and the next attempt "
                             "resumes from there.") from None
    except AssistantError:
        raise
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            discard_partial(part)
            raise DiskFullError(f"The disk filled up (or a size limit was hit) while downloading {filename}; "
                                "the partial file was removed.",
                                hint="Free some disk space and download again.") from exc
        if "Consistency check failed" in str(exc):
            discard_partial(part)
            raise DownloadError(f"The server sent a different amount of data than announced for {filename}.",
                                hint="Run the download again.") from exc
        raise _friendly(exc, repo, filename, endpoint, part.stat().st_size if part.is_file() else 0) from exc
    except Exception as exc:
        raise _friendly(exc, repo, filename, endpoint, part.stat().st_size if part.is_file() else 0) from exc

    # Verify before the file becomes visible.
    got_size = part.stat().st_size
    if total is not None and got_size != total:
        discard_partial(part)
        raise DownloadError(f"{filename} arrived with {got_size:,} bytes instead of {total:,}.", hint="Download again.")
    digest = _hash_with_progress(part, tracker, cancel)
    if expected_sha:
        if digest != expected_sha:
            discard_partial(part)
            raise ChecksumError(
                f"{filename} was downloaded but its checksum is wrong (got {digest[:12]}…, expected "
                f"{expected_sha[:12]}…). The file was discarded.",
                hint="The download was corrupted or the mirror serves a different file. Try again, or use "
                "another endpoint.")
        verified_by = "catalog sha256" if sha256 else "hub sha256"
    elif facts.get("git_sha1"):
        if _git_blob_sha1(part) != facts["git_sha1"]:
            discard_partial(part)
            raise ChecksumError(f"{filename} does not match the hub's git checksum; it was discarded.")
        verified_by = "hub git sha1"
    else:
        verified_by = "size only"
    if check_gguf:
        from assistant.core.models import gguf_check

        try:
            gguf_check.validate(part, purpose="any")  # chat or embedding model: both are downloaded alike
        except InvalidModelError as exc:
            discard_partial(part)
            raise InvalidModelError(final, exc.reason, hint="The downloaded file is not a usable model and was "
                                    "discarded. Try another quantization or source.") from exc
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(part, final)
    meta_path.unlink(missing_ok=True)
    if check_gguf:  # models only: a source folder goes to the converter as the hub has it
        _write_stamp(final, digest)
    tracker.done = got_size
    tracker.emit(force=True, stage="done")
    return DownloadResult(final, got_size, digest, verified_by, resumed_from=kept, commit=facts["commit"] or "",
                          seconds=time.monotonic() - t0, repo=repo, revision=revision, model=check_gguf)


def download_model(
    entry: CatalogEntry,
    quant: str | None = None,
    *,
    settings: Settings | None = None,
    endpoint: str | None = None,
    token: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    dest_dir: Path | None = None,
) -> DownloadResult:
    """Download a catalog entry's GGUF in one quantization (the recommended one by default)."""
    from assistant.core.errors import ConfigError

    if entry.bundled and (quant in (None, entry.bundled.get("quantization"))):
        raise ConfigError(f"{entry.name} comes with the app; there is nothing to download.")
    src = entry.sources.get("gguf")
    if not src:
        raise ConfigError(f"{entry.name} has no GGUF download; download its original weights and convert them.",
                          hint=f"assistant models download {entry.id} --source safetensors")
    spec = entry.file_spec(quant)
    ep, tok = hub_settings(settings, endpoint, token)
    return download_file(src["repo"], spec["file"], revision=src.get("revision", "main"), dest_dir=dest_dir,
                         sha256=spec.get("sha256"), size=spec.get("size"), size_exact=bool(spec.get("size_exact")),
                         endpoint=ep, token=tok, progress=progress, cancel=cancel)


def download_source(
    entry: CatalogEntry,
    *,
    settings: Settings | None = None,
    endpoint: str | None = None,
    token: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    dest_dir: Path | None = None,
) -> Path:
    """Download an entry's original (safetensors) repository into ``<models>/sources/<name>/`` for conversion."""
    from huggingface_hub import HfApi

    from assistant.core.errors import ConfigError

    src = entry.sources.get("safetensors")
    if not src:
        raise ConfigError(f"{entry.name} has no original-weights source in the catalog.")
    ep, tok = hub_settings(settings, endpoint, token)
    repo, revision = src["repo"], src.get("revision", "main")
    folder = (dest_dir or app_paths().models_dir) / "sources" / repo.replace("/", "--")
    wanted = list(src.get("files") or [])
    if not wanted:
        try:
            with hub_online():
                info = HfApi(endpoint=ep, token=tok).model_info(repo, revision=revision, files_metadata=True,
                                                                timeout=net_timeout())
        except Exception as exc:
            raise _friendly(exc, repo, "", ep, 0) from exc
        names = [s.rfilename for s in info.siblings or []]
        wanted = [n for n in names if n.endswith((".safetensors", ".json", ".model", ".txt", ".tiktoken"))
                  and "/" not in n and not n.startswith(".")]
    for name in wanted:
        download_file(repo, name, revision=revision, dest_dir=folder, endpoint=ep, token=tok, progress=progress,
                      cancel=cancel, check_gguf=False)
    return folder
