"""The frozen app's entry point (PyInstaller runs this file as ``__main__``).

``freeze_support`` must come first: the passport batch runs a process pool, and on Windows a
frozen child process re-enters this script, where ``freeze_support`` turns it into the worker
instead of a second copy of the app.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from skillsdesk.__main__ import main

    sys.exit(main())
