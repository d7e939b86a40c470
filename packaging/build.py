"""Build the onedir bundle with PyInstaller and smoke-run it.

    python packaging/build.py [--no-smoke]

Needs PyInstaller in the same environment (``pip install pyinstaller``). Writes ``build/`` and
``dist/skillsdesk/`` at the top of the repository (both ignored by git). The smoke run starts the
bundled command line (``--version``), builds a small demo school with it in a temporary folder,
lists its staff, and opens the GUI offscreen long enough to show its first window, so a bundle
missing a module, a resource or a Qt plugin fails here rather than on a school's laptop.
"""

from __future__ import annotations

import argparse
import os
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


def smoke() -> None:
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
    if not args.no_smoke:
        smoke()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
