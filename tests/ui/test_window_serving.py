"""Serving from the window: the real assistant.server.LocalServer on 127.0.0.1, configured from the settings,
called with the official ``openai`` client and plain HTTP."""

from __future__ import annotations

import dataclasses
import socket
from typing import Any

import httpx
import openai
import pytest

from .conftest import REAL_SETTINGS, load, send
from .fakes import FakeBackend

pytestmark = [pytest.mark.gui, pytest.mark.server]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def banner(w: Any) -> str:
    b = w.chat.error_banner
    return " ".join((b.title.text(), b.message.text(), b.hint.text()))


@pytest.mark.model
def test_serve_the_loaded_model_to_the_openai_client_then_turn_it_off(make_window: Any, qtbot: Any) -> None:
    w = make_window(sampling_max_tokens=16, **REAL_SETTINGS)
    load(qtbot, w)
    assert not w.serving.running and w.status.serve_label.isHidden()

    dlg = w.open_settings()  # the user ticks "Serve the loaded model" on the Serving page
    dlg.serving.serve_enabled.setChecked(True)
    dlg.serving.serve_port.setValue(0)  # any free port: tests run in parallel with other servers
    dlg.accept()
    assert w.serving.running, banner(w)
    server = w.serving.server
    assert server is not None and server.host == "127.0.0.1" and server.port > 0
    url = f"http://127.0.0.1:{server.port}/v1"
    assert w.serving.url == url and w.status.serve_label.text() == f"Serving at {url}"
    assert w.session.model_info is not None  # serving shares the loaded model: no second load

    client = openai.OpenAI(base_url=url, api_key="unused", max_retries=0, timeout=120)
    [model] = client.models.list().data
    reply = client.chat.completions.create(model=model.id, messages=[{"role": "user", "content": "Say hello."}],
                                           max_tokens=16, temperature=0.0)
    assert reply.choices[0].message.content and reply.usage is not None and reply.usage.completion_tokens > 0
    assert reply.choices[0].finish_reason in ("stop", "length")
    # The window still chats with the same model while it serves.
    assert send(qtbot, w, "Hi").status in ("done", "length")

    dlg = w.open_settings()
    dlg.serving.serve_enabled.setChecked(False)
    dlg.accept()
    assert not w.serving.running and w.status.serve_label.isHidden()
    assert not port_open(server.port)
    with pytest.raises(openai.APIConnectionError):
        client.models.list()


def test_serving_uses_the_address_key_and_limits_from_the_settings(make_window: Any, qtbot: Any) -> None:
    backend = FakeBackend(("Hel", "lo", "."))
    w = make_window(backend, serve_enabled=True, serve_port=0, serve_api_key="sk-local", serve_max_tokens=64,
                    serve_cors_origins=["http://localhost:5173"])
    load(qtbot, w)  # serving starts once the model has loaded
    server = w.serving.server
    assert server is not None and server.options.api_key == "sk-local"
    assert server.options.max_tokens_limit == 64 and server.options.cors_origins == ("http://localhost:5173",)
    url = w.serving.url
    body = {"model": "Fake model", "messages": [{"role": "user", "content": "hi"}]}
    assert httpx.post(f"{url}/chat/completions", json=body).status_code == 401  # the key is required
    r = httpx.post(f"{url}/chat/completions", json=body, headers={"Authorization": "Bearer sk-local"})
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"] == "Hello."
    too_many = dict(body, max_tokens=65)
    r = httpx.post(f"{url}/chat/completions", json=too_many, headers={"Authorization": "Bearer sk-local"})
    assert r.status_code == 400 and "max_tokens" in r.text

    # A new limit restarts the server with it; the model stays loaded.
    w.apply_settings(dataclasses.replace(w.settings, serve_max_tokens=128))
    assert w.serving.server is not server and w.serving.server is not None
    assert w.serving.server.options.max_tokens_limit == 128 and w.session.model_info is not None

    # Another address without an API key: the server refuses (as the settings dialog does), the window says so.
    w.apply_settings(dataclasses.replace(w.settings, serve_host="0.0.0.0", serve_api_key=""))
    assert not w.serving.running and w.status.serve_label.isHidden()
    assert w.chat.error_banner.isVisible() and "API key is required" in banner(w)


def test_serving_stops_before_the_model_is_closed(make_window: Any, qtbot: Any) -> None:
    ports: list[int] = []
    open_at_close: list[bool] = []

    class Backend(FakeBackend):
        def close(self) -> None:
            open_at_close.append(port_open(ports[0]))
            super().close()

    backend = Backend()
    w = make_window(backend, serve_enabled=True, serve_port=0)
    load(qtbot, w)
    assert w.serving.server is not None
    ports.append(w.serving.server.port)
    assert port_open(ports[0])
    w.close()
    assert backend.closed and open_at_close == [False]  # the port was closed before the model


def test_a_taken_port_is_reported_not_a_crash(make_window: Any, qtbot: Any) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        w = make_window(FakeBackend(), serve_enabled=True, serve_port=port)
        load(qtbot, w)
        assert not w.serving.running
        assert w.chat.error_banner.isVisible() and str(port) in banner(w)
        assert send(qtbot, w, "hi").answer == "Hello there."  # the chat keeps working


def test_load_on_request_setting_is_on_the_serving_page_and_saved(qtbot: Any) -> None:
    from assistant.core.settings import Settings
    from assistant.ui.settings.dialog import SettingsDialog

    assert Settings().serve_load_on_request  # on by default, as in Ollama
    dlg = SettingsDialog(Settings())
    qtbot.addWidget(dlg)
    assert dlg.serving.serve_load_on_request.isChecked()
    dlg.serving.serve_load_on_request.setChecked(False)
    dlg.accept()
    assert dlg.result_settings is not None and dlg.result_settings.serve_load_on_request is False
    saved = dlg.result_settings
    saved.save()
    assert Settings.load().serve_load_on_request is False
    again = SettingsDialog(saved)
    qtbot.addWidget(again)
    assert again.serving.serve_load_on_request.isChecked() is False
