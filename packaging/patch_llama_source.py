"""Make llama-cpp-python's vendored llama.cpp build its Vulkan module against older Vulkan headers.

ggml-vulkan configures the validation layer through VK_EXT_layer_settings (``vk::LayerSettingEXT``),
which Vulkan headers before 1.3.261 do not have (Debian 12 ships 1.3.239). That block only matters when
``GGML_VK_VALIDATE`` is set, so with older headers the instance is created without it. Idempotent.

    python packaging/patch_llama_source.py SOURCE_DIR    # an unpacked llama_cpp_python-X.Y.Z sdist
"""

from __future__ import annotations

import sys
from pathlib import Path

GUARD = "#if defined(VK_EXT_layer_settings)  /* patched by assistant: older Vulkan headers */\n"


def patch(src: Path) -> bool:
    path = src / "vendor/llama.cpp/ggml/src/ggml-vulkan/ggml-vulkan.cpp"
    text = path.read_text(encoding="utf-8")
    if GUARD in text:
        return False
    start = text.index("    std::vector<vk::LayerSettingEXT> settings = {")
    create = ("    vk::InstanceCreateInfo instance_create_info(vk::InstanceCreateFlags{}, &app_info, layers, "
              "extensions, &layer_setting_info);\n")
    end = text.index(create, start) + len(create)
    plain = ("#else\n"
             "    vk::InstanceCreateInfo instance_create_info(vk::InstanceCreateFlags{}, &app_info, layers, "
             "extensions);\n"
             "#endif\n")
    path.write_text(text[:start] + GUARD + text[start:end] + plain + text[end:], encoding="utf-8")
    return True


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print("patched" if patch(Path(sys.argv[1])) else "already patched")
