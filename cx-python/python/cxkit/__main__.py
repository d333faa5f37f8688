"""``python -m cxkit``: the command line (see :mod:`cxkit.cli`)."""

import sys

from cxkit.cli import main

sys.exit(main())
