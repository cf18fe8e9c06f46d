"""The program that runs inside the sandbox (as ``python -c HARNESS PAYLOAD_FD RESULT_FD``).

It is a string, not a module, because the packaged app has no source files to hand to ``-c``. Before it
reads a byte of untrusted code it mounts its size-limited scratch folder, drops every capability, loads
the second seccomp filter and sets its resource limits; from then on the kernel, not this program, is what
stops the code. It reports on ``RESULT_FD`` one JSON object per line; the code under test can write there
too, which is harmless: the parent compares the values it reports with expectations the sandbox never sees
(see ``checks.py``).

Values are sent as tagged plain data (``encode``), never pickled: the parent rebuilds ints, floats, strings,
containers... and treats anything else as an opaque name and repr that equals nothing.
"""

from __future__ import annotations

# The harness imports these inside the sandbox; importing them here too lets PyInstaller see them, so the
# packaged app carries them.
import builtins  # noqa: F401
import ctypes  # noqa: F401
import json  # noqa: F401
import resource  # noqa: F401
import traceback  # noqa: F401

HARNESS = r'''
import os, sys
sys.dont_write_bytecode = True
_pfd, _rfd = int(sys.argv[1]), int(sys.argv[2])
_chunks = []
while True:
    _b = os.read(_pfd, 1 << 20)
    if not _b:
        break
    _chunks.append(_b)
os.close(_pfd)
import json
_P = json.loads(b"".join(_chunks).decode("utf-8"))
del _chunks, _b
_out = os.fdopen(_rfd, "w", encoding="utf-8")


def _report(obj):
    _out.write(json.dumps(obj, ensure_ascii=True) + "\n")
    _out.flush()


def _setup():
    import ctypes, resource
    libc = ctypes.CDLL(None, use_errno=True)
    s = _P["scratch"]
    opts = "size=%d,nr_inodes=%d,mode=0700" % (s["bytes"], s["files"])
    if libc.mount(b"tmpfs", s["path"].encode(), b"tmpfs", 2 | 4, opts.encode()) != 0:  # MS_NOSUID | MS_NODEV
        raise OSError(ctypes.get_errno(), "mount of the scratch folder")
    os.chdir(s["path"])
    hdr = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    caps = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable: nothing
    if libc.syscall(_P["sys"]["capset"], hdr, caps) != 0:
        raise OSError(ctypes.get_errno(), "dropping capabilities")
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        raise OSError(ctypes.get_errno(), "no_new_privs")
    code = bytes.fromhex(_P["filter"])
    buf = ctypes.create_string_buffer(code, len(code))

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = _Prog(len(code) // 8, ctypes.cast(buf, ctypes.c_void_p))
    if libc.prctl(22, 2, ctypes.byref(prog), 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
        raise OSError(ctypes.get_errno(), "seccomp filter")
    for name, value in _P["rlimits"].items():
        resource.setrlimit(getattr(resource, name), (value, value))


try:
    _setup()
except BaseException as _e:
    _report({"setup_error": "%s: %s" % (type(_e).__name__, _e)})
    os._exit(70)
del _setup
_report({"ready": True})

if _P["mode"] == "code":
    import builtins, traceback
    sys.argv = ["main.py"]
    _status = 0
    try:
        exec(compile(_P["code"], "main.py", "exec"), {"__name__": "__main__", "__builtins__": builtins})
    except SystemExit as _e:
        if _e.code is None:
            _status = 0
        elif isinstance(_e.code, int):
            _status = _e.code & 0xFF
        else:
            print(_e.code, file=sys.stderr)
            _status = 1
    except BaseException as _e:
        traceback.print_exception(type(_e), _e, _e.__traceback__.tb_next)
        _status = 1
    _report({"exit": _status})
    sys.exit(_status)


def _encode(v, depth=0):
    if depth > 60:
        return ["o", "nesting", "too deeply nested"]
    if v is None:
        return ["n"]
    if v is True or v is False:
        return ["t" if v else "f"]
    if isinstance(v, int):
        return ["i", format(int(v), "x")]  # hex: no 4300-digit limit, exact
    if isinstance(v, float):
        return ["F", float.hex(float(v))]
    if isinstance(v, complex):
        return ["c", float.hex(v.real), float.hex(v.imag)]
    if isinstance(v, str):
        return ["s", str.__str__(v)]
    if isinstance(v, (bytes, bytearray)):
        return ["b", bytes(v).hex()]
    if isinstance(v, range):
        return ["r", v.start, v.stop, v.step]
    kind = {list: "l", tuple: "u", set: "S", frozenset: "Z"}
    for base, tag in kind.items():
        if isinstance(v, base):
            return [tag, [_encode(x, depth + 1) for x in base.__iter__(v)]]
    if isinstance(v, dict):
        return ["d", [[_encode(k, depth + 1), _encode(x, depth + 1)] for k, x in dict.items(v)]]
    name = type(v).__module__ + "." + type(v).__qualname__
    if name == "fractions.Fraction":
        return ["Q", format(v.numerator, "x"), format(v.denominator, "x")]
    if name == "decimal.Decimal":
        return ["D", str(v)]
    try:
        text = repr(v)[:200]
    except BaseException:
        text = "?"
    return ["o", type(v).__qualname__, text]


def _flush():
    for f in (sys.stdout, sys.stderr):
        try:
            f.flush()
        except BaseException:
            pass


_ns = {"__name__": "solution", "__builtins__": __builtins__}
try:
    exec(compile(_P["code"], "solution.py", "exec"), _ns)
except BaseException as _e:
    _flush()
    _report({"load_error": ("%s: %s" % (type(_e).__name__, _e))[:500]})
    os._exit(0)
for _i, _test in enumerate(_P["tests"]):
    _values = []
    try:
        for _kind, _src in _test:
            if _kind == "x":
                exec(compile(_src, "test %d" % (_i + 1), "exec"), _ns)
            else:
                _values.append(_encode(eval(compile(_src, "test %d" % (_i + 1), "eval"), _ns)))
        _report({"test": _i, "values": _values})
    except BaseException as _e:
        _report({"test": _i, "values": _values, "error": ("%s: %s" % (type(_e).__name__, _e))[:300]})
_flush()
_report({"done": True})
os._exit(0)
'''
