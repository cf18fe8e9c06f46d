"""Where the app keeps its files: config, data (history, models), cache, logs.

From platformdirs; ``ASSISTANT_HOME`` moves all of them under one folder (tests, portable installs), and
each can be moved alone with its own variable. The lowest layer of the core: it imports nothing of ours.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Assistant"


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
