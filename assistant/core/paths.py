"""Where the app keeps its files (config, data, cache, logs) and where its own bundled models are.

From platformdirs; ``ASSISTANT_HOME`` moves all of them under one folder (tests, portable installs), and
each can be moved alone with its own variable. The lowest layer of the core: it imports nothing of ours.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

APP_NAME = "Assistant"
DEFAULT_MODEL_ID = "smollm2-135m-instruct"  # the small model inside the app (catalog.json: "bundled")


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path
    models_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def history_db(self) -> Path:
        return self.data_dir / "history.sqlite3"

    def ensure(self) -> Paths:
        for p in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir, self.models_dir):
            p.mkdir(parents=True, exist_ok=True)
        return self


def app_paths() -> Paths:
    """Where the app keeps its files. Read from the environment every call (tests change it)."""
    home = os.environ.get("ASSISTANT_HOME")
    if home:
        base = Path(home).expanduser()
        defaults = {
            "config_dir": base / "config",
            "data_dir": base / "data",
            "cache_dir": base / "cache",
            "log_dir": base / "logs",
        }
    else:
        import platformdirs

        defaults = {
            "config_dir": Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            "data_dir": Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            "cache_dir": Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
            "log_dir": Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        }
    env_names = {
        "config_dir": "ASSISTANT_CONFIG_DIR",
        "data_dir": "ASSISTANT_DATA_DIR",
        "cache_dir": "ASSISTANT_CACHE_DIR",
        "log_dir": "ASSISTANT_LOG_DIR",
    }
    resolved = {k: Path(os.environ[env_names[k]]).expanduser() if os.environ.get(env_names[k]) else v
                for k, v in defaults.items()}
    models = os.environ.get("ASSISTANT_MODELS_DIR")
    models_dir = Path(models).expanduser() if models else resolved["data_dir"] / "models"
    return Paths(models_dir=models_dir, **resolved)


def bundled_dirs() -> list[Path]:
    """Folders that may hold the bundled default model, most specific first."""
    dirs = []
    if os.environ.get("ASSISTANT_BUNDLED_DIR"):
        dirs.append(Path(os.environ["ASSISTANT_BUNDLED_DIR"]))
    frozen = getattr(sys, "_MEIPASS", None)  # PyInstaller one-folder/one-file build
    if frozen:
        dirs.append(Path(frozen) / "models")
    dirs.append(Path(__file__).resolve().parents[2] / "models")  # source checkout / editable install
    dirs.append(app_paths().models_dir)
    return dirs


BUNDLE_MANIFEST = "bundle.json"


def bundle_manifest() -> dict[str, Any]:
    """``bundle.json`` beside the bundled model(s), written by the packager; {} when there is none.

    A package that also carries a bigger model (packaging/build.py --with-model) names it there as the
    model a fresh install starts on.
    """
    for d in bundled_dirs():
        f = d / BUNDLE_MANIFEST
        if f.is_file():
            try:
                data = json.loads(f.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return {}
            return data if isinstance(data, dict) else {}
    return {}


def default_model_spec() -> str:
    """What a fresh install uses: the packaged model named by the bundle manifest, else the bundled default."""
    spec = bundle_manifest().get("default_model")
    return spec if isinstance(spec, str) and spec else DEFAULT_MODEL_ID
