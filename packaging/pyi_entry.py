"""The frozen app starts here; the same as ``python -m medscribe``.

A separate script (not medscribe/__main__.py) so that the package's own ``__main__`` is
collected as a normal module and the entry point stays one line that never changes.
"""

import sys

from medscribe.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
