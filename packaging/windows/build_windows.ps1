# Build the Windows app and its installer: dist\Assistant-<version>-windows-x64-setup.exe
#
# NOT BUILT OR RUN ON WINDOWS BY US YET: written from the documentation of PowerShell, pip,
# llama-cpp-python, PyInstaller and Inno Setup. The Linux build is what CI builds and tests.
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build_windows.ps1
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build_windows.ps1 -Python C:\Python311\python.exe
#
# Steps (each one stops the script if it fails):
#   1. .venv with Python 3.11 (the `py` launcher, or -Python).
#   2. llama-cpp-python 0.3.36 compiled once into a wheel cache, portable: every x86-64 CPU variant of
#      llama.cpp's CPU code (ggml-cpu-x64.dll ... ggml-cpu-zen4.dll), the best one picked at run time.
#   3. the app (.[gui]), PyInstaller and Pillow (Pillow only makes the .ico; the app never carries it).
#   4. the bundled model (packaging\fetch_default_model.py, verified by size and sha256).
#   5. build\package\assistant.ico from resources\icons\assistant.png.
#   6. python packaging\build.py app -> build\package\dist\assistant\ (Assistant.exe, assistant-cli.exe).
#   7. Assistant.exe --self-test (loads the model, answers one prompt, exits 0).
#   8. ISCC.exe packaging\windows\assistant.iss /DAppVersion=<version> -> dist\.
#
# Prerequisites: Python 3.11 x64, Visual Studio 2022 Build Tools ("Desktop development with C++"),
# CMake 3.21+ (pip fetches one if none is on PATH), Inno Setup 6.3+. See packaging\windows\README.md.

[CmdletBinding()]
param(
    # A python.exe to create .venv with (default: `py -3.11`, else `python`).
    [string]$Python = "",
    # ISCC.exe (default: on PATH, or Inno Setup 6's usual install folders).
    [string]$Iscc = "",
    # Stop after the self-test: no installer.
    [switch]$NoInstaller,
    # Do not run the self-test (not for releases).
    [switch]$SkipSelfTest
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version 3.0

$LlamaVersion = "0.3.36"
$LlamaFlags = "-DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON " +
              "-DCMAKE_INSTALL_BINDIR=llama_cpp/lib -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TOOLS=OFF " +
              "-DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF"
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $Root
$Venv = if ($env:ASSISTANT_VENV) { $env:ASSISTANT_VENV } else { Join-Path $Root ".venv" }
$VenvPy = Join-Path $Venv "Scripts\python.exe"
$Wheels = Join-Path $env:LOCALAPPDATA "assistant\wheels\llama-windows-x64-dispatch"
$App = Join-Path $Root "build\package\dist\assistant"
$Ico = Join-Path $Root "build\package\assistant.ico"
# Python reads and writes files as UTF-8 (not the ANSI code page) in the build and in the self-test.
$env:PYTHONUTF8 = "1"

function Say([string]$Message) { Write-Host "==> $Message" -ForegroundColor Cyan }

# Runs a program; throws if it exits non-zero (PowerShell does not stop on that by itself).
# A plain function, so that arguments such as -m reach the program instead of PowerShell.
function Exec {
    $exe = $args[0]
    $rest = @($args | Select-Object -Skip 1)
    & $exe @rest
    if ($LASTEXITCODE -ne 0) { throw "failed (exit code $LASTEXITCODE): $exe $($rest -join ' ')" }
}

if (-not [Environment]::Is64BitOperatingSystem) { throw "Assistant for Windows is 64-bit only." }

# --- 1. virtual environment
if (-not (Test-Path $VenvPy)) {
    Say "creating $Venv"
    if ($Python) { Exec $Python -m venv $Venv }
    elseif (Get-Command py -ErrorAction SilentlyContinue) { Exec py -3.11 -m venv $Venv }
    else { Exec python -m venv $Venv }
    Exec $VenvPy -m pip install -q --disable-pip-version-check --upgrade pip wheel setuptools
}
Exec $VenvPy -c "import sys, struct; assert sys.version_info >= (3, 10) and struct.calcsize('P') == 8, sys.version"

# --- 2. llama-cpp-python, portable (compiled once: about 30-60 minutes, mostly the CPU variants)
if (-not (Get-ChildItem -Path $Wheels -Filter "llama_cpp_python-$LlamaVersion-*.whl" -ErrorAction SilentlyContinue)) {
    if (-not (Get-Command cmake -ErrorAction SilentlyContinue)) {
        Say "no cmake on PATH: pip will fetch one for the build (install CMake to skip that)"
    }
    Say "compiling llama-cpp-python $LlamaVersion with every CPU variant (needs the MSVC build tools)"
    New-Item -ItemType Directory -Force -Path $Wheels | Out-Null
    $env:CMAKE_ARGS = $LlamaFlags
    $env:CMAKE_BUILD_PARALLEL_LEVEL = "$env:NUMBER_OF_PROCESSORS"
    try {
        Exec $VenvPy -m pip wheel -q --disable-pip-version-check --no-deps --no-cache-dir `
            "llama-cpp-python==$LlamaVersion" -w $Wheels
    } finally {
        Remove-Item Env:CMAKE_ARGS, Env:CMAKE_BUILD_PARALLEL_LEVEL -ErrorAction SilentlyContinue
    }
}

# --- 3. the app and the build tools
Say "installing the app, PyInstaller and Pillow into $Venv"
Exec $VenvPy -m pip install -q --disable-pip-version-check --find-links $Wheels "llama-cpp-python==$LlamaVersion"
Exec $VenvPy -m pip install -q --disable-pip-version-check --find-links $Wheels -e ".[gui]" "pyinstaller>=6.10" pillow

# The wheel must carry the CPU variants, or the app could die with an illegal instruction on another
# CPU. On Windows (MSVC) they are named ggml-cpu-<variant>.dll, with MinGW libggml-cpu-<variant>.dll.
$LlamaLib = (& $VenvPy -c "import importlib.util, pathlib; print(pathlib.Path(importlib.util.find_spec('llama_cpp').origin).parent / 'lib')").Trim()
$Variants = @(Get-ChildItem -Path $LlamaLib -Filter "*ggml-cpu-*.dll" | ForEach-Object { ($_.BaseName -replace '^(lib)?ggml-cpu-', '') })
Say "llama.cpp CPU variants in ${LlamaLib}: $($Variants -join ', ')"
foreach ($v in @("x64", "sse42", "haswell")) {
    if ($Variants -notcontains $v) {
        throw "llama-cpp-python is not the portable build (no ggml-cpu-$v.dll in $LlamaLib): delete $Wheels and run again."
    }
}

# --- 4. the bundled model
Exec $VenvPy packaging\fetch_default_model.py

# --- 5. the icon: .ico with the sizes Explorer and the taskbar use, from the 256 px PNG
Say "icon: $Ico"
New-Item -ItemType Directory -Force -Path (Split-Path $Ico) | Out-Null
# (no double quotes inside: Windows PowerShell 5.1 mangles them on a native command line)
Exec $VenvPy -c "import sys; from PIL import Image; Image.open(sys.argv[1]).convert('RGBA').save(sys.argv[2], sizes=[(s, s) for s in (16, 20, 24, 32, 40, 48, 64, 128, 256)])" `
    (Join-Path $Root "resources\icons\assistant.png") $Ico

# --- 6. the one-folder app (PyInstaller, packaging\assistant.spec)
# NOTE: build.py's portable-llama check calls os.uname(), which Windows' Python does not have, and looks
# for libggml-cpu-*.so only; see packaging\windows\README.md ("Known gaps") until build.py is fixed.
$env:ASSISTANT_BUILD_ICON = $Ico
try {
    Exec $VenvPy packaging\build.py app
} finally {
    Remove-Item Env:ASSISTANT_BUILD_ICON -ErrorAction SilentlyContinue
}
foreach ($f in @("Assistant.exe", "assistant-cli.exe")) {
    if (-not (Test-Path (Join-Path $App $f))) { throw "PyInstaller did not make $App\$f" }
}
# the version build.py reads from pyproject.toml (and gives PyInstaller)
$Version = (& $VenvPy -c "import sys; sys.path.insert(0, 'packaging'); import build; print(build.version())").Trim()
if ($LASTEXITCODE -ne 0 -or -not $Version) { throw "cannot read the version from pyproject.toml" }

# --- 7. the frozen app's self-test: a fresh temporary profile, the bundled model, one answer.
if (-not $SkipSelfTest) {
    Say "self-test: $App\Assistant.exe --self-test"
    Exec (Join-Path $App "assistant-cli.exe") --help | Out-Null
    # Assistant.exe is a windowed program: run it through .NET to wait for it, read its exit code and
    # capture the JSON report it prints (its stdout exists only when redirected like this).
    $psi = New-Object System.Diagnostics.ProcessStartInfo
    $psi.FileName = Join-Path $App "Assistant.exe"
    $psi.Arguments = "--self-test"
    $psi.WorkingDirectory = $App
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.StandardOutputEncoding = [System.Text.Encoding]::UTF8  # PYTHONUTF8=1 (inherited) makes it write UTF-8
    $psi.StandardErrorEncoding = [System.Text.Encoding]::UTF8
    $proc = [System.Diagnostics.Process]::Start($psi)
    $outTask = $proc.StandardOutput.ReadToEndAsync()
    $errTask = $proc.StandardError.ReadToEndAsync()
    if (-not $proc.WaitForExit(900 * 1000)) {
        $proc.Kill()
        throw "self-test: no result within 900 s"
    }
    $proc.WaitForExit()  # the output is read to its end
    $stdout = $outTask.Result
    $stderr = $errTask.Result
    New-Item -ItemType Directory -Force -Path (Join-Path $Root "build\package\check") | Out-Null
    Set-Content -Path (Join-Path $Root "build\package\check\windows-self-test.json") -Value $stdout -Encoding UTF8
    Set-Content -Path (Join-Path $Root "build\package\check\windows-self-test.log") -Value $stderr -Encoding UTF8
    $last = @($stdout -split "`r?`n" | Where-Object { $_.Trim() }) | Select-Object -Last 1
    if ($last) { Write-Host $last }
    if ($proc.ExitCode -ne 0) {
        Write-Host ($stderr -split "`r?`n" | Select-Object -Last 20 | Out-String)
        throw "self-test: Assistant.exe exited $($proc.ExitCode)"
    }
    if ($last) {
        $report = $last | ConvertFrom-Json
        if (-not $report.ok -or -not $report.frozen) { throw "self-test: the report is not ok/frozen: $last" }
        Say "self-test passed (report: build\package\check\windows-self-test.json)"
    } else {
        Say "warning: the self-test passed (exit 0) but printed no report"
    }
    # Checksum stamps go to the user's cache folder; this only guards against one left by an older build.
    Get-ChildItem -Path (Join-Path $App "_internal\models") -Filter "*.verified" -ErrorAction SilentlyContinue | Remove-Item
}

if ($NoInstaller) { Say "app: $App (no installer: -NoInstaller)"; exit 0 }

# --- 8. the installer (Inno Setup 6)
if (-not $Iscc) {
    $candidates = @(
        (Get-Command ISCC.exe -ErrorAction SilentlyContinue | ForEach-Object { $_.Source }),
        (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:ProgramFiles "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe")
    ) | Where-Object { $_ -and (Test-Path $_) }
    $Iscc = @($candidates) | Select-Object -First 1
    if (-not $Iscc) { throw "ISCC.exe not found: install Inno Setup 6 (https://jrsoftware.org/isdl.php) or pass -Iscc" }
}
Say "Inno Setup: $Iscc (version $Version)"
Exec $Iscc "/DAppVersion=$Version" (Join-Path $PSScriptRoot "assistant.iss")
$Setup = Join-Path $Root "dist\Assistant-$Version-windows-x64-setup.exe"
if (-not (Test-Path $Setup)) { throw "ISCC did not make $Setup" }
Say ("installer: {0} ({1:N1} MiB)" -f $Setup, ((Get-Item $Setup).Length / 1MB))
