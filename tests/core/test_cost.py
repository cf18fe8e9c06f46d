"""What a model costs here: the cost model's arithmetic, its cache, and the quick benchmark on the real
bundled model."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant.core.models import cost
from assistant.core.models.catalog import get_entry
from assistant.core.settings import Settings


@pytest.fixture(autouse=True)
def no_speed_stored() -> None:
    """The hardware cache folder is shared by the session (the probe's verdict): only the speed files go."""
    from assistant.core.runtime.ggml_probe import cache_dir

    for f in cache_dir().glob("speed-*.json"):
        f.unlink()


SMALL, R1, R1_7B, QWEN = "smollm2-135m-instruct", "deepseek-r1-distill-qwen-1.5b", "deepseek-r1-distill-qwen-7b", \
    "qwen2.5-1.5b-instruct"


def _entry(model_id: str):  # type: ignore[no-untyped-def]
    e = get_entry(model_id)
    assert e is not None
    return e


def _speed(**kw: object) -> cost.MachineSpeed:
    base: dict[str, object] = {"key": "k", "prompt_tps": 300.0, "decode_tps": 100.0, "model": SMALL,
                               "model_bytes": 98_362_432, "prompt_tokens": 256, "mean_context": 352.0}
    base.update(kw)
    return cost.MachineSpeed(**base)  # type: ignore[arg-type]


def test_weight_bytes_leave_out_an_untied_embedding_table() -> None:
    small, r1 = _entry(SMALL), _entry(R1)
    assert cost.weight_bytes_per_token(small, 1000) == 1000  # tied: the output layer reads the whole table
    share = 151_936 * 1536 / r1.parameters
    assert cost.weight_bytes_per_token(r1, 1_120_000_000) == pytest.approx(1_120_000_000 * (1 - share))
    # Attention per token of context: layers × query heads × head size.
    assert cost.attention_units(r1) == 28 * 12 * 128 and cost.attention_units(small) == 30 * 9 * 64


def test_decode_prediction_without_fixed_part_or_context_is_bandwidth_over_bytes() -> None:
    small, r1 = _entry(SMALL), _entry(R1)
    speed = _speed()  # no deep measurement: no context term
    same = cost.predict(small, speed.model_bytes, speed, context=speed.mean_context)
    assert same.decode_tps == pytest.approx(100.0, abs=0.01)  # the measured model predicts what was measured
    assert same.prompt_tps == pytest.approx(300.0, abs=0.1)
    plain = cost.predict(r1, 1_120_000_000, speed, fixed_share=0.0)
    bandwidth = 98_362_432 * 100.0
    assert plain.decode_tps == pytest.approx(bandwidth / cost.weight_bytes_per_token(r1, 1_120_000_000), rel=1e-3)
    assert cost.predict(r1, 1_120_000_000, _speed(decode_tps=200.0), fixed_share=0.0).decode_tps == \
        pytest.approx(2 * plain.decode_tps, rel=1e-3)
    # A fixed part of the time per token does not grow with the bytes: a big model comes out faster.
    fixed = cost.predict(r1, 1_120_000_000, speed, fixed_share=0.25)
    t_ref = 1 / 100.0
    # (per layer: R1 has 28 layers, the measured SmolLM2 30)
    expected = 1 / (0.25 * t_ref * 28 / 30
                    + 0.75 * t_ref * cost.weight_bytes_per_token(r1, 1_120_000_000) / 98_362_432)
    assert fixed.decode_tps == pytest.approx(expected, rel=1e-3) and fixed.decode_tps > plain.decode_tps
    assert cost.predict(r1, 1_890_000_000, speed).decode_tps < cost.predict(r1, 1_120_000_000, speed).decode_tps
    assert cost.predict(_entry(R1_7B), 4_680_000_000, speed).decode_tps < fixed.decode_tps


def test_measured_bandwidth_splits_the_time_into_reading_and_a_fixed_part_per_layer() -> None:
    small, r1 = _entry(SMALL), _entry(R1)
    t_ref, ref_bytes = 1 / 100.0, 98_362_432
    # read bandwidth 20 GB/s, reached at 0.5: the bundled model reads for 9.8 ms of its 10 ms; 0.2 ms is fixed
    speed = _speed(read_gbps=20.0)
    bw = 10e9
    same = cost.predict(small, ref_bytes, speed, efficiency=0.5, context=speed.mean_context)
    assert same.decode_tps == pytest.approx(100.0, rel=1e-3)  # the measured model still predicts itself
    fixed_per_layer = (t_ref - ref_bytes / bw) / 30
    r1_bytes = cost.weight_bytes_per_token(r1, 1_120_000_000)
    got = cost.predict(r1, 1_120_000_000, speed, efficiency=0.5).decode_tps
    assert got == pytest.approx(1 / (28 * fixed_per_layer + r1_bytes / bw), rel=1e-3)
    # a busy machine: the same bandwidth but the small model at half speed -> the difference is fixed, and
    # the big model slows far less than 2x (what bytes alone would say)
    busy = cost.predict(r1, 1_120_000_000, _speed(read_gbps=20.0, decode_tps=50.0), efficiency=0.5).decode_tps
    alone = cost.predict(r1, 1_120_000_000, _speed(decode_tps=50.0), fixed_share=0.0).decode_tps
    assert busy < got and busy > 1.5 * alone
    # a bandwidth below what the measured model itself reached is not believed: no fixed part then
    low = cost.predict(r1, 1_120_000_000, _speed(read_gbps=1.0), efficiency=0.5).decode_tps
    assert low == pytest.approx(cost.predict(r1, 1_120_000_000, _speed(), fixed_share=0.0).decode_tps, rel=1e-3)


def test_context_term_from_the_deep_measurement() -> None:
    small, r1 = _entry(SMALL), _entry(R1)
    # 100 tok/s at context 352, 50 tok/s at context 952: 10 ms more per token for 600 more tokens of context.
    speed = _speed(deep_decode_tps=50.0, deep_context=952.0)
    assert cost.predict(small, speed.model_bytes, speed, context=952).decode_tps == pytest.approx(50.0, rel=1e-3)
    assert cost.predict(small, speed.model_bytes, speed, context=352).decode_tps == pytest.approx(100.0, rel=1e-3)
    slope = 0.01 / 600
    per_unit = slope / cost.attention_units(small)
    at_zero = 0.01 - slope * 352
    p = cost.predict(r1, 1_120_000_000, speed, fixed_share=0.0, context=1000)
    expected = 1 / (at_zero * cost.weight_bytes_per_token(r1, 1_120_000_000) / 98_362_432
                    + per_unit * cost.attention_units(r1) * 1000)
    assert p.decode_tps == pytest.approx(expected, rel=1e-3)
    # Faster at no context than at the typical answer's mean context.
    assert cost.predict(r1, 1_120_000_000, speed, context=0).decode_tps > cost.predict(r1, 1_120_000_000,
                                                                                         speed).decode_tps


def test_prompt_speed_scales_with_matmul_params_and_answer_time_adds_up() -> None:
    small, r1 = _entry(SMALL), _entry(R1)
    speed = _speed(deep_decode_tps=60.0, deep_context=952.0)
    ratio = cost.matmul_params(small) / cost.matmul_params(r1)
    assert 0.05 < ratio < 0.15  # 106 M against 1.31 B
    p = cost.predict(r1, 1_120_000_000, speed, exponent=0.5)
    assert p.prompt_tps == pytest.approx(300.0 * ratio ** 0.5, rel=1e-3)
    assert cost.predict(r1, 1_120_000_000, speed, exponent=1.0).prompt_tps == pytest.approx(300.0 * ratio, rel=1e-2)
    expected = 200 / p.prompt_tps + 1800 / p.decode_tps  # decode at the mean context of the answer
    assert p.answer_seconds == pytest.approx(expected, abs=0.1)


def test_rows_text_and_units() -> None:
    speed = _speed()
    row = {"id": QWEN, "quant": "Q4_K_M", "size": 1_117_320_736}
    pred = cost.predict_row(row, speed)
    assert pred is not None and pred.decode_tps > 0
    assert cost.predict_row(row, None) is None
    assert cost.predict_row({**row, "size": None}, speed) is None
    assert cost.short_text(cost.Prediction(15.2, 100, 90)) == "≈ 15 tok/s · answer ≈ 90 s"
    assert cost.human_seconds(600) == "10 min"
    assert cost.human_seconds(45) == "45 s" and cost.human_seconds(7200) == "2.0 h"


def test_cache_round_trip_and_key() -> None:
    s = _speed(key="abc123")
    assert cost.read_speed("abc123") is None
    cost.store_speed(s)
    back = cost.read_speed("abc123")
    assert back is not None and back.decode_tps == 100.0 and back.source == "cache"
    assert cost.read_speed("other") is None


def test_key_changes_with_app_version_threads_and_model(monkeypatch: pytest.MonkeyPatch, bundled_model: Path) -> None:
    k = cost.speed_key(0, 0, bundled_model)
    assert k == cost.speed_key(0, 0, bundled_model)
    assert k != cost.speed_key(2, 0, bundled_model)
    assert k != cost.speed_key(0, 99, bundled_model)
    monkeypatch.setattr(cost, "app_version", lambda: "99.0")
    assert k != cost.speed_key(0, 0, bundled_model)


def test_quick_bench_cache_is_invalidated_by_another_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.core.eval import speed

    calls: list[str] = []

    def fake(path: Path, model_id: str, settings: Settings, *, key: str = "", **kw: object) -> cost.MachineSpeed:
        calls.append(key)
        return _speed(key=key)

    monkeypatch.setattr(speed, "bench_model", fake)
    monkeypatch.setattr(speed, "current_key", lambda settings: "key-one")
    speed.quick_bench(Settings())
    assert speed.quick_bench(Settings()).source == "cache"
    assert calls == ["key-one"]
    monkeypatch.setattr(speed, "current_key", lambda settings: "key-two")  # e.g. another CPU variant or version
    assert speed.cached(Settings()) is None
    speed.quick_bench(Settings())
    assert calls == ["key-one", "key-two"]
    speed.quick_bench(Settings(), refresh=True)
    assert calls == ["key-one", "key-two", "key-two"]


@pytest.mark.model
@pytest.mark.slow
def test_quick_bench_on_the_real_bundled_model() -> None:
    from assistant.core.eval import speed

    settings = Settings()
    t0 = time.monotonic()
    measured = speed.quick_bench(settings)
    took = time.monotonic() - t0
    assert measured.source == "measured" and measured.model == SMALL
    # Sane: prompt evaluation batches, so it is faster than decoding. (The lower bound is loose: on a shared
    # 2-core machine under load, llama.cpp's threads wait for each other and a round can run 20x slower.)
    assert 1 < measured.decode_tps < 5000 and measured.prompt_tps > measured.decode_tps
    assert measured.cpu_variant and measured.n_threads >= 1 and measured.seconds <= took + 0.1
    assert measured.deep_context > measured.mean_context and 0 < measured.deep_decode_tps < 5000
    # the read bandwidth: a machine of this century reads between 0.5 and 1,000 GB/s
    assert 0.5 < measured.read_gbps < 1000
    assert took < 180  # about 20 s alone; the bound is loose for a busy shared machine
    t0 = time.monotonic()
    again = speed.quick_bench(settings)
    assert time.monotonic() - t0 < 1.0 and again.source == "cache"
    assert again.decode_tps == measured.decode_tps and again.key == speed.current_key(settings)
    # Every catalog model gets a prediction, slower for bigger files.
    r1 = cost.predict(_entry(R1), 1_120_000_000, measured)
    assert 0 < r1.decode_tps < measured.decode_tps and r1.answer_seconds > 1800 / measured.decode_tps
