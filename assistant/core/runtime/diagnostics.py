"""What runs here and why: the report behind `assistant doctor`, the self-test and the GUI's About box.

CPU and memory, the llama.cpp CPU variant the probe chose (and each one it skipped, with the reason),
the Vulkan GPU verdict and devices. Plain data plus one text rendering, shared by every front end.
"""

from __future__ import annotations

from typing import Any

from assistant.core.runtime.hardware import detect
from assistant.core.units import GiB


def report(*, reprobe: bool = False) -> dict[str, Any]:
    """The diagnostics as plain data. ``reprobe`` runs the llama.cpp probe again and caches the result."""
    from assistant.core.runtime import ggml_probe
    from assistant.core.runtime.llama import llama_cpp_module, loaded_cpu_variant, verdict

    error = ""
    if reprobe:
        ggml_probe.choose(refresh=True)
    try:
        llama_cpp_module()
    except Exception as exc:  # the report must still say what is wrong
        error = str(exc)
    hw = detect()
    v = verdict()
    out: dict[str, Any] = {
        "cpu": {"model": hw.cpu_model, "features": list(hw.cpu_features), "physical_cores": hw.physical_cores,
                "logical_cores": hw.logical_cores},
        "memory": {"total_gib": round(hw.total_ram / GiB, 1), "available_gib": round(hw.available_ram / GiB, 1)},
        "llama": {"cpu_variant": loaded_cpu_variant(), "error": error,
                  "modules": str(ggml_probe.module_dir()), "build_features": list(hw.llama_features)},
        "gpus": [{"name": g.name, "vendor": g.vendor, "memory_total_gib": round(g.memory_total / GiB, 2),
                  "memory_free_gib": round(g.memory_free / GiB, 2)} for g in hw.gpus],
        "gpu_offload": hw.llama_gpu_offload,
    }
    if v is not None:
        out["llama"].update(
            chosen=v.cpu, source=v.source, probe_seconds=v.probe_seconds, probed_at=v.probed_at,
            fallbacks=v.fallbacks, results=[r.__dict__ for r in v.results],
            vulkan={"status": v.vulkan_status, "reason": v.vulkan_reason, "devices": v.gpus,
                    "used": bool(v.vulkan_path) and hw.llama_gpu_offload})
    return out


def format_report(d: dict[str, Any]) -> str:
    """The report as a few readable lines (English; the GUI shows the same text)."""
    cpu, mem, llama = d["cpu"], d["memory"], d["llama"]
    lines = [f"CPU: {cpu['model'] or 'unknown'} ({cpu['physical_cores']} cores, {cpu['logical_cores']} threads)",
             f"  features: {', '.join(cpu['features']) or 'baseline'}",
             f"Memory: {mem['total_gib']} GiB ({mem['available_gib']} GiB free)"]
    if llama.get("error"):
        lines.append(f"llama.cpp: NOT WORKING: {llama['error']}")
    chosen = llama.get("cpu_variant") or llama.get("chosen") or "?"
    how = {"cache": "decided by an earlier test on this machine",
           "probe": f"tested now in {llama.get('probe_seconds', 0):.1f} s"}.get(llama.get("source", ""), "")
    lines.append(f"llama.cpp CPU code: {chosen}" + (f" ({how})" if how else ""))
    for r in llama.get("results", []):
        if r["status"] == "ok":
            speed = f"{r['prompt_tps']:.0f} tok/s prompt, {r['decode_tps']:.0f} tok/s decode on the test model"
            lines.append(f"  {r['name']}: works ({speed})")
        elif r["status"] != "untested":
            lines.append(f"  {r['name']}: skipped ({r['status']}: {r['reason']})")
    results = llama.get("results", [])
    for label, pick in (("not needed (a better one works)", lambda r: r["score"]),
                        ("not for this CPU", lambda r: not r["score"])):
        names = [r["name"] for r in results if r["status"] == "untested" and pick(r)]
        if names:
            lines.append(f"  {label}: {', '.join(names)}")
    vk = llama.get("vulkan") or {}
    if vk:
        status = {"ok": "in use" if vk.get("used") else "works (off)", "no device": "no GPU found",
                  "not built": "not in this build", "no loader": "Vulkan is not installed"}.get(vk["status"])
        lines.append(f"Vulkan GPU: {status or vk['status'] + ': ' + vk['reason']}")
        for dev in vk.get("devices", []):
            gib = dev.get("memory_total", 0) / GiB
            lines.append(f"  {dev['description'] or dev['name']}: {gib:.1f} GiB"
                         + (f", matches the CPU within {dev['deviation']:.2g}" if "deviation" in dev else ""))
    for g in d.get("gpus", []):
        if g["vendor"] == "nvidia":
            lines.append(f"NVIDIA GPU: {g['name']}, {g['memory_total_gib']} GiB (the vLLM backend can use it)")
    return "\n".join(lines)
