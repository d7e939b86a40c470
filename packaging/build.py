"""Build the onedir bundle with PyInstaller and smoke-run it.

    python packaging/build.py [--no-smoke]

Needs PyInstaller in the same environment (``pip install pyinstaller``). Writes ``build/`` and
``dist/skillsdesk/`` at the top of the repository (both ignored by git). The smoke run starts the
bundled command line (``--version``), builds a small demo school with it in a temporary folder,
lists its staff, prints passports in Arabic and Welsh, and opens the GUI offscreen long enough to
show its first window, so a bundle missing a module, a resource, a language's locale data or a Qt
plugin fails here rather than on a school's laptop. On Linux it first checks that every Qt library
a bundled file links is in the bundle.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "skillsdesk"


def build() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                    "--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build"),
                    str(ROOT / "packaging" / "skillsdesk.spec")], check=True, cwd=ROOT)
    return time.perf_counter() - started


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def biggest(folder: Path, count: int = 12) -> list[tuple[int, str]]:
    """The largest files and folders directly inside ``folder/_internal`` and PySide6's Qt
    library folder, largest first, as (bytes, path relative to ``folder``)."""
    internal = folder / "_internal"
    parts = list(internal.iterdir())
    qt_lib = next((p for p in (internal / "PySide6" / "Qt" / "lib", internal / "PySide6")
                   if p.is_dir()), None)
    if qt_lib is not None:
        parts += [p for p in qt_lib.iterdir() if p.is_file()]
    sizes = [(folder_size(p) if p.is_dir() else p.stat().st_size, str(p.relative_to(folder)))
             for p in parts if not p.is_symlink()]
    return sorted(sizes, reverse=True)[:count]


def missing_qt_libraries(folder: Path) -> list[str]:
    """On Linux, each Qt library some bundled file links (ELF NEEDED) that is not in the
    bundle: a library the spec leaves out must not be one a kept plugin still needs."""
    if not sys.platform.startswith("linux") or shutil.which("readelf") is None:
        return []
    present = {p.name for p in folder.rglob("*")}
    missing = set()
    for path in folder.rglob("*.so*"):
        if not path.is_file() or path.is_symlink():
            continue
        dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True,
                                 text=True).stdout
        for line in dynamic.splitlines():
            if "(NEEDED)" in line and "[libQt6" in line:
                name = line.split("[", 1)[1].rstrip("]")
                if name not in present:
                    missing.add(f"{name} (needed by {path.relative_to(folder)})")
    return sorted(missing)


def smoke() -> None:
    missing = missing_qt_libraries(DIST)
    if missing:
        raise SystemExit("the bundle lacks Qt libraries its files link:\n" + "\n".join(missing))
    exe = DIST / ("skillsdesk-cli.exe" if os.name == "nt" else "skillsdesk-cli")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SKILLSDESK_USER="head",
               SKILLSDESK_PASSWORD="skillsdesk-demo")
    version = subprocess.run([str(exe), "--version"], check=True, capture_output=True,
                             text=True, env=env).stdout.strip()
    print("bundle says:", version)
    with tempfile.TemporaryDirectory() as tmp:
        data = ["--data-dir", str(Path(tmp) / "school")]
        subprocess.run([str(exe), "demo", "--pupils", "60", "--years", "1", *data], check=True,
                       env=env, timeout=600)
        staff = subprocess.run([str(exe), "staff", "list", "--format", "csv", *data],
                               check=True, capture_output=True, text=True, env=env).stdout
        assert "head" in staff, staff
        # Passports in Arabic and Welsh: babel's data for the shipped languages (the spec keeps
        # only those), the fonts and right-to-left shaping must all be in the bundle.
        for lang in ("ar", "cy"):
            pdf = Path(tmp) / f"passports-{lang}.pdf"
            subprocess.run([str(exe), "passports", "--year-group", "3", "--lang", lang,
                            "--out", str(pdf), *data], check=True, env=env, timeout=600)
            assert pdf.read_bytes().startswith(b"%PDF"), lang
        # The GUI: a sign-in window must appear; the process is then stopped.
        gui = subprocess.Popen([str(exe), *data], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        time.sleep(8)
        alive = gui.poll() is None
        gui.kill()
        out, err = gui.communicate()
        if not alive:
            raise SystemExit(f"the bundled GUI exited early ({gui.returncode}):\n{out}\n{err}")
    print("smoke run: ok")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-smoke", action="store_true", help="build only")
    args = parser.parse_args()
    seconds = build()
    print(f"built {DIST} in {seconds:.0f} s, {folder_size(DIST) / 1e6:.0f} MB")
    for size, name in biggest(DIST):
        print(f"  {size / 1e6:6.1f} MB  {name}")
    if not args.no_smoke:
        smoke()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
