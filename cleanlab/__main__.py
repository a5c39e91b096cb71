"""Entry point of ``python -m cleanlab``; the command line lives in `cleanlab.cli`."""

import sys

from cleanlab.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
