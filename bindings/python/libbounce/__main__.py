"""``python -m libbounce``: the ``bounce`` command line (the same C++ code)."""

from __future__ import annotations

import sys
from typing import List, Optional

from . import _core


def main(argv: Optional[List[str]] = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``); returns the exit code."""
    sys.stdout.flush()
    sys.stderr.flush()
    return int(_core.cli_main(list(sys.argv[1:] if argv is None else argv)))


if __name__ == "__main__":
    sys.exit(main())
