"""Run the data-frame and Dask tests of the Python binding; exit 77 (a
skip for meson) naming what is missing when numpy, pandas, dask or
distributed cannot be imported by this interpreter."""
import importlib
import sys
import unittest
from pathlib import Path


def main() -> None:
    missing = []
    for name in ("numpy", "pandas", "dask.dataframe", "distributed"):
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        print(f"{sys.executable} lacks {', '.join(missing)}: install python3-pandas, python3-dask "
              "and python3-distributed (scripts/deps --test)")
        sys.exit(77)

    here = Path(__file__).resolve().parent
    suite = unittest.defaultTestLoader.discover(str(here), pattern="test_*.py", top_level_dir=str(here))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)


# Dask's worker processes are spawned: they import this file again, and
# must not run the tests themselves.
if __name__ == "__main__":
    main()
