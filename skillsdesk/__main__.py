"""Entry point: parse the command line, set up logging, then run a command or the GUI."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from skillsdesk.i18n import _

log = logging.getLogger("skillsdesk")


def setup_logging(data_dir: Path) -> Path | None:
    """Log to ``<data>/logs/skillsdesk.log`` (rotated); never pupil data, only what happened."""
    folder = data_dir / "logs"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "skillsdesk.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return folder / "skillsdesk.log"


def _storage_error() -> type[Exception]:
    """The storage layer's error class, imported only when an exception is being matched:
    its module imports SQLAlchemy, which the GUI must not wait for before its first window."""
    from skillsdesk.storage.engine import StorageError

    return StorageError


def main(argv: list[str] | None = None) -> int:
    from skillsdesk.cli import parse_args, run
    from skillsdesk.domain.errors import UserError
    from skillsdesk.paths import demo_data_dir, resolve_data_dir

    args = parse_args(argv)  # exits 2 with a usage message on bad arguments
    if args.version:
        from skillsdesk import __version__

        print(f"SkillsDesk {__version__}")
        return 0
    if args.demo and args.command is None and not hasattr(args, "data_dir"):
        data_dir = demo_data_dir()
    else:
        data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    log_file = setup_logging(data_dir)
    try:
        if args.command is None:
            from skillsdesk.app import run_gui

            return run_gui(data_dir, demo=args.demo)
        return run(args)
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except _storage_error() as exc:
        log.error("storage: %s", exc)
        print(str(exc), file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (``skillsdesk pupils list | head``): not an error.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(_("Stopped."), file=sys.stderr)
        return 1
    except Exception:
        log.exception("unexpected error")
        where = f" ({log_file})" if log_file else ""
        print(_("Something went wrong and nothing more was done. The details are in the "
                "log{where}.").format(where=where), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
