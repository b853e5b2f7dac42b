"""Entry script of the frozen app (PyInstaller): the same ``main()`` as the
``dossier-desk`` console script."""

import multiprocessing
import sys

if __name__ == "__main__":
    # Extraction workers are started with "spawn": in a frozen program each
    # worker re-runs this executable, and freeze_support() turns it into the
    # worker instead of a second copy of the app.
    multiprocessing.freeze_support()
    from desktop.app import main

    sys.exit(main())
