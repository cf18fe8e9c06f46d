from __future__ import annotations

import json

import pytest

from assistant.core.errors import ConfigError
from assistant.core.paths import app_paths
from assistant.core.settings import SCHEMA_VERSION, Settings


def test_paths_follow_assistant_home(app_home):
    p = app_paths()
    assert p.config_dir == app_home / "config"
    assert p.models_dir == app_home / "data" / "models"
    assert p.history_db.parent == app_home / "data"


def test_round_trip_and_defaults(app_home):
    s = Settings.load()
    assert s.sampling.temperature == 0.6 and s.sampling.top_p == 0.95
    s.sampling.temperature = 0.3
    s.language = "zh_CN"
    s.save()
    again = Settings.load()
    assert again.sampling.temperature == 0.3 and again.language == "zh_CN"
    assert json.loads(app_paths().settings_file.read_text())["schema_version"] == SCHEMA_VERSION


def test_damaged_file_is_set_aside_not_fatal(app_home):
    f = app_paths().settings_file
    f.parent.mkdir(parents=True)
    f.write_text("{ not json")
    s = Settings.load()
    assert s == Settings()
    assert f.with_suffix(".broken.json").exists()


def test_unknown_keys_are_ignored_and_bad_values_refused(app_home):
    assert Settings.from_dict({"schema_version": 1, "from_the_future": 1}).model == Settings().model
    with pytest.raises(ConfigError):
        Settings.from_dict({"sampling": {"temperature": 9}})
    with pytest.raises(ConfigError):
        Settings.from_dict({"schema_version": SCHEMA_VERSION + 1})
