"""The Vulkan devices this machine has, listed through the Vulkan loader itself (no ``vulkaninfo``).

``python -m assistant.core.runtime.vulkan_devices`` prints them as JSON, in the loader's order — the order
ggml-vulkan numbers them in, so an index here is what ``GGML_VK_VISIBLE_DEVICES`` means. The app asks in a
child process (:func:`list_devices`): a driver that hangs or crashes while it is enumerated takes the child
with it, never the app.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import logging
import subprocess
import sys
from dataclasses import asdict, dataclass
from typing import Any

log = logging.getLogger(__name__)

# VkPhysicalDeviceType
DEVICE_TYPES = {0: "other", 1: "integrated", 2: "discrete", 3: "virtual", 4: "cpu"}
_HEAP_DEVICE_LOCAL = 0x1


@dataclass(frozen=True)
class VulkanDevice:
    index: int
    name: str
    type: str  # "integrated" | "discrete" | "virtual" | "cpu" | "other"
    vendor_id: int = 0
    memory_total: int = 0  # bytes in the device-local heaps

    @property
    def software(self) -> bool:
        """A device that is CPU code (lavapipe/llvmpipe, SwiftShader): no faster than the CPU itself."""
        return self.type == "cpu"


class _AppInfo(ctypes.Structure):
    _fields_ = [("sType", ctypes.c_uint32), ("pNext", ctypes.c_void_p), ("pApplicationName", ctypes.c_char_p),
                ("applicationVersion", ctypes.c_uint32), ("pEngineName", ctypes.c_char_p),
                ("engineVersion", ctypes.c_uint32), ("apiVersion", ctypes.c_uint32)]


class _InstanceInfo(ctypes.Structure):
    _fields_ = [("sType", ctypes.c_uint32), ("pNext", ctypes.c_void_p), ("flags", ctypes.c_uint32),
                ("pApplicationInfo", ctypes.POINTER(_AppInfo)), ("enabledLayerCount", ctypes.c_uint32),
                ("ppEnabledLayerNames", ctypes.c_void_p), ("enabledExtensionCount", ctypes.c_uint32),
                ("ppEnabledExtensionNames", ctypes.c_void_p)]


def _loader() -> ctypes.CDLL | None:
    for name in (ctypes.util.find_library("vulkan"), "libvulkan.so.1", "vulkan-1.dll", "libvulkan.1.dylib"):
        if not name:
            continue
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def enumerate_here() -> list[VulkanDevice]:
    """Enumerate in this process (the child's job). [] when there is no loader, no driver or no device."""
    vk = _loader()
    if vk is None:
        return []
    app = _AppInfo(0, None, b"assistant", 1, b"assistant", 1, (1 << 22))  # VK_API_VERSION_1_0
    info = _InstanceInfo(1, None, 0, ctypes.pointer(app), 0, None, 0, None)
    instance = ctypes.c_void_p()
    vk.vkCreateInstance.argtypes = [ctypes.POINTER(_InstanceInfo), ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
    if vk.vkCreateInstance(ctypes.byref(info), None, ctypes.byref(instance)) != 0:
        return []
    try:
        vk.vkEnumeratePhysicalDevices.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint32),
                                                  ctypes.POINTER(ctypes.c_void_p)]
        count = ctypes.c_uint32(0)
        if vk.vkEnumeratePhysicalDevices(instance, ctypes.byref(count), None) != 0 or not count.value:
            return []
        handles = (ctypes.c_void_p * count.value)()
        if vk.vkEnumeratePhysicalDevices(instance, ctypes.byref(count), handles) not in (0, 5):  # 5: VK_INCOMPLETE
            return []
        vk.vkGetPhysicalDeviceProperties.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        vk.vkGetPhysicalDeviceMemoryProperties.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        devices = []
        for i in range(count.value):
            # VkPhysicalDeviceProperties: 5 uint32 (apiVersion, driverVersion, vendorID, deviceID, deviceType),
            # then char deviceName[256]; the rest (limits...) is under 1 KiB: a larger buffer holds it all.
            props = ctypes.create_string_buffer(4096)
            vk.vkGetPhysicalDeviceProperties(handles[i], props)
            head = (ctypes.c_uint32 * 5).from_buffer_copy(props.raw[:20])
            name = props.raw[20:276].split(b"\0", 1)[0].decode("utf-8", "replace")
            # VkPhysicalDeviceMemoryProperties: typeCount, 32 types of 8 bytes, heapCount, then 16 heaps of
            # (VkDeviceSize size, flags) aligned to 8 bytes, from offset 264.
            mem = ctypes.create_string_buffer(1024)
            vk.vkGetPhysicalDeviceMemoryProperties(handles[i], mem)
            heaps = int.from_bytes(mem.raw[260:264], "little")
            local = 0
            for h in range(min(heaps, 16)):
                at = 264 + 16 * h
                size, flags = int.from_bytes(mem.raw[at:at + 8], "little"), int.from_bytes(mem.raw[at + 8:at + 12],
                                                                                          "little")
                if flags & _HEAP_DEVICE_LOCAL:
                    local += size
            devices.append(VulkanDevice(i, name, DEVICE_TYPES.get(head[4], "other"), head[2], local))
        return devices
    finally:
        vk.vkDestroyInstance.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        vk.vkDestroyInstance(instance, None)


def list_devices(timeout: float = 30.0) -> list[VulkanDevice]:
    """The Vulkan devices, asked in a child process; [] when the child fails, hangs or finds none."""
    from assistant.core.runtime.ggml_probe import _prefix

    cmd = [*_prefix(), sys.executable, "-m", "assistant.core.runtime.vulkan_devices"]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("Vulkan devices not listed: %s", exc)
        return []
    if out.returncode != 0:
        log.info("Vulkan devices not listed: the child exited %s: %s", out.returncode, out.stderr[-500:])
        return []
    try:
        raw: list[dict[str, Any]] = json.loads(out.stdout.strip().splitlines()[-1])
        return [VulkanDevice(**d) for d in raw]
    except (ValueError, IndexError, TypeError) as exc:
        log.info("Vulkan devices not listed: unreadable answer (%s)", exc)
        return []


def main() -> int:
    print(json.dumps([asdict(d) for d in enumerate_here()]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
