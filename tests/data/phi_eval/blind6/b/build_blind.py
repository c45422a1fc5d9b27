"""Build and verify writer B's part of the sixth BLIND PHI evaluation set (``blind6/b``).

Sources are ``src/*.txt``; the checks and the JSON writing are shared by every blind set
(``../../blind_builder.py``). Usage::

    python tests/data/phi_eval/blind6/b/build_blind.py          # rebuild the JSON files
    python tests/data/phi_eval/blind6/b/build_blind.py --check  # verify they are up to date
    python tests/data/phi_eval/blind6/b/build_blind.py --lint   # list unmarked look-alikes
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from blind_builder import run  # noqa: E402  (the shared builder sits beside the sets)

# Ids say which writer and which style a record comes from; the evaluator keys on them.
ID_FORMAT = r"^blind6b-hw-\d{2}$"

if __name__ == "__main__":
    sys.exit(run(HERE, ID_FORMAT))
